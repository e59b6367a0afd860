package dev.latchkey.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.web.Caller;
import dev.latchkey.web.Page;

@RestController
class LedgerController {

    static final String TEXT_CSV = "text/csv";

    private final UsageReports reports;

    LedgerController(UsageReports reports) {
        this.reports = reports;
    }

    record ReversalRequest(@NotBlank @Size(max = 500) String reason) {
    }

    @GetMapping(path = "/v1/orgs/{orgId}/usage", produces = MediaType.APPLICATION_JSON_VALUE)
    UsageViews.Usage usage(@PathVariable UUID orgId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(name = "group_by", required = false) String groupBy) {
        return reports.usage(Caller.current(), orgId, from, to, groupBy);
    }

    /**
     * JSON pages, newest first, or with {@code Accept: text/csv} (preferred over JSON) the whole
     * range as a CSV download, oldest first.
     */
    @GetMapping(path = "/v1/orgs/{orgId}/ledger", produces = {MediaType.APPLICATION_JSON_VALUE, TEXT_CSV})
    Page<LedgerEntryView> ledger(@PathVariable UUID orgId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(name = "credential_source", required = false) String source,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response) {
        if (!prefersCsv(accept)) {
            return reports.ledger(Caller.current(), orgId, from, to, source, cursor, limit);
        }
        // The writer opens (and the response commits) only after the access and input checks passed.
        reports.exportCsv(Caller.current(), orgId, from, to, source, () -> {
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ledger-" + orgId + ".csv\"");
            try {
                return response.getWriter();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return null;
    }

    @GetMapping(path = "/v1/orgs/{orgId}/invoice-preview", produces = MediaType.APPLICATION_JSON_VALUE)
    UsageViews.InvoicePreview invoicePreview(@PathVariable UUID orgId, @RequestParam(required = false) String period) {
        return reports.invoicePreview(Caller.current(), orgId, period);
    }

    @GetMapping(path = "/v1/orgs/{orgId}/usage-alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    Page<UsageViews.Alert> alerts(@PathVariable UUID orgId) {
        return reports.alerts(Caller.current(), orgId);
    }

    /** Platform admins only; anyone else is told there is nothing here. */
    @GetMapping(path = "/v1/admin/usage", produces = MediaType.APPLICATION_JSON_VALUE)
    UsageViews.Usage platformUsage(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(name = "group_by", required = false) String groupBy) {
        return reports.platformUsage(Caller.currentPlatformAdmin(), from, to, groupBy);
    }

    /** Platform admins only: a correction is a reversing entry, never an edit. */
    @PostMapping(path = "/v1/admin/orgs/{orgId}/ledger/{entryId}/reversal", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    LedgerEntryView reverse(@PathVariable UUID orgId, @PathVariable UUID entryId,
            @Valid @RequestBody ReversalRequest request) {
        return reports.reverse(Caller.currentPlatformAdmin(), orgId, entryId, request.reason().trim());
    }

    /**
     * Whether the Accept header asks for text/csv at least as much as for JSON; JSON wins ties,
     * wildcards and a missing header.
     */
    static boolean prefersCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
        double csv = 0;
        double json = 0;
        for (MediaType type : types) {
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                csv = Math.max(csv, type.getQualityValue());
            } else if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)) {
                json = Math.max(json, type.getQualityValue());
            }
        }
        return csv > 0 && csv > json;
    }
}
