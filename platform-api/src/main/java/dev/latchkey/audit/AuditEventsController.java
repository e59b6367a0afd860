package dev.latchkey.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.Page;
import dev.latchkey.web.ProblemType;

/**
 * The review side of the audit log. Lists are JSON pages; with {@code Accept: text/csv} the
 * same filters export every matching event as CSV, written as it is read.
 */
@RestController
class AuditEventsController {

    private static final MediaType CSV = MediaType.parseMediaType(AuditCsv.MEDIA_TYPE);

    private final AuditReview review;
    private final RateLimiter rateLimiter;
    private final RateLimit verifyLimit;

    AuditEventsController(AuditReview review, RateLimiter rateLimiter,
            AuditProperties settings) {
        this.review = review;
        this.rateLimiter = rateLimiter;
        this.verifyLimit = new RateLimit(settings.verifyLimit().perPeriod(), settings.verifyLimit().period());
    }

    @GetMapping(path = "/v1/orgs/{orgId}/audit-events",
            produces = {MediaType.APPLICATION_JSON_VALUE, AuditCsv.MEDIA_TYPE})
    Page<AuditEventView> orgEvents(@PathVariable UUID orgId, @RequestParam MultiValueMap<String, String> query,
            HttpServletRequest request, HttpServletResponse response) {
        Caller caller = Caller.current();
        AuditFilter filter = AuditFilter.parse(query, false);
        if (wantsCsv(request)) {
            csv(response, "audit-events-" + orgId, out -> review.orgExport(caller, orgId, filter, out));
            return null;
        }
        return review.orgPage(caller, orgId, filter, query.getFirst("cursor"), query.getFirst("limit"));
    }

    /** Every organization's events, for platform admins; {@code org_id} narrows to one. */
    @GetMapping(path = "/v1/admin/audit-events", produces = {MediaType.APPLICATION_JSON_VALUE, AuditCsv.MEDIA_TYPE})
    Page<AuditEventView> allEvents(@RequestParam MultiValueMap<String, String> query, HttpServletRequest request,
            HttpServletResponse response) {
        Caller.User admin = Caller.currentPlatformAdmin();
        AuditFilter filter = AuditFilter.parse(query, true);
        if (wantsCsv(request)) {
            csv(response, filter.orgId() == null ? "audit-events" : "audit-events-" + filter.orgId(),
                    out -> review.adminExport(admin, filter, out));
            return null;
        }
        return review.adminPage(admin, filter, query.getFirst("cursor"), query.getFirst("limit"));
    }

    /**
     * Walks the whole chain and records that it did: a write (POST, CSRF-protected for the
     * console), limited platform-wide since its cost does not depend on who asks.
     */
    @PostMapping(path = "/v1/admin/audit-events/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerification verify() {
        Caller.User admin = Caller.currentPlatformAdmin();
        RateLimitDecision decision = rateLimiter.tryConsume("audit-verify", verifyLimit);
        if (!decision.allowed()) {
            throw new LatchkeyException(ProblemType.RATE_LIMITED, "The audit chain was verified "
                    + verifyLimit.capacity() + " times recently; try again later", List.of(), decision.headers());
        }
        return review.verify(admin);
    }

    /**
     * Streams the export. Headers are set only once the writer is asked for, which is after the
     * access checks: a refused export is an ordinary problem response.
     */
    private static void csv(HttpServletResponse response, String fileName, Consumer<Supplier<Writer>> export) {
        Writer[] writer = new Writer[1];
        export.accept(() -> {
            response.setContentType(AuditCsv.MEDIA_TYPE + ";charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".csv\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            try {
                writer[0] = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(),
                        StandardCharsets.UTF_8), 16 * 1024);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return writer[0];
        });
        try {
            if (writer[0] != null) {
                writer[0].flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CSV when the caller prefers it (or {@code text/*}) to JSON; {@code *}{@code /*} alone means JSON. */
    private static boolean wantsCsv(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return accepted.stream()
                .filter(type -> type.getQualityValue() > 0)
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed()
                        .thenComparing(type -> type.isWildcardType() || type.isWildcardSubtype()))
                .filter(type -> type.isCompatibleWith(CSV) || type.isCompatibleWith(MediaType.APPLICATION_JSON))
                .findFirst()
                .map(type -> !type.isWildcardType() && type.isCompatibleWith(CSV))
                .orElse(false);
    }
}
