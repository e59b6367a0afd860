package dev.latchkey.audit;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.CsvWriter;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;

/**
 * The review side of the audit log. Lists are JSON pages; with {@code Accept: text/csv} (chosen
 * by {@code produces}, like every CSV export) the same filters export every matching event.
 */
@RestController
class AuditEventsController {

    private final AuditReview review;
    private final RateLimiter rateLimiter;
    private final RateLimit verifyLimit;

    AuditEventsController(AuditReview review, RateLimiter rateLimiter, AuditProperties settings) {
        this.review = review;
        this.rateLimiter = rateLimiter;
        this.verifyLimit = new RateLimit(settings.verifyLimit().perPeriod(), settings.verifyLimit().period());
    }

    @GetMapping(path = "/v1/orgs/{orgId}/audit-events", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    Page<AuditEventView> orgEvents(@PathVariable UUID orgId, @RequestParam MultiValueMap<String, String> query) {
        return review.orgPage(Caller.current(), orgId, AuditFilter.parse(query, false), query.getFirst("cursor"),
                query.getFirst("limit"));
    }

    /** The same filters, every matching event, written as it is read. */
    @Operation(operationId = "orgEvents", responses = @ApiResponse(responseCode = "200",
            description = "A JSON page; with Accept: text/csv the CSV download",
            content = @Content(mediaType = CsvWriter.MEDIA_TYPE, schema = @Schema(type = "string"))))
    @GetMapping(path = "/v1/orgs/{orgId}/audit-events", produces = CsvWriter.MEDIA_TYPE)
    void orgEventsCsv(@PathVariable UUID orgId, @RequestParam MultiValueMap<String, String> query,
            HttpServletResponse response) {
        Caller caller = Caller.current();
        AuditFilter filter = AuditFilter.parse(query, false);
        CsvWriter.download(response, "audit-events-" + orgId, out -> review.orgExport(caller, orgId, filter, out));
    }

    /** Every organization's events, for platform admins; {@code org_id} narrows to one. */
    @GetMapping(path = "/v1/admin/audit-events", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    Page<AuditEventView> allEvents(@RequestParam MultiValueMap<String, String> query) {
        return review.adminPage(Caller.currentPlatformAdmin(), AuditFilter.parse(query, true),
                query.getFirst("cursor"), query.getFirst("limit"));
    }

    @Operation(operationId = "allEvents", responses = @ApiResponse(responseCode = "200",
            description = "A JSON page; with Accept: text/csv the CSV download",
            content = @Content(mediaType = CsvWriter.MEDIA_TYPE, schema = @Schema(type = "string"))))
    @GetMapping(path = "/v1/admin/audit-events", produces = CsvWriter.MEDIA_TYPE)
    void allEventsCsv(@RequestParam MultiValueMap<String, String> query, HttpServletResponse response) {
        Caller.User admin = Caller.currentPlatformAdmin();
        AuditFilter filter = AuditFilter.parse(query, true);
        CsvWriter.download(response, filter.orgId() == null ? "audit-events" : "audit-events-" + filter.orgId(),
                out -> review.adminExport(admin, filter, out));
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
}
