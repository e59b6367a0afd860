package dev.latchkey.ledger;

import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.CsvWriter;
import dev.latchkey.kernel.Page;

@RestController
class LedgerController {

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

    /** JSON pages, newest first. */
    @GetMapping(path = "/v1/orgs/{orgId}/ledger", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    Page<LedgerEntryView> ledger(@PathVariable UUID orgId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(name = "credential_source", required = false) String source) {
        return reports.ledger(Caller.current(), orgId, from, to, source, cursor, limit);
    }

    /** With {@code Accept: text/csv}: the whole range as a CSV download, oldest first. */
    @Operation(operationId = "ledger", responses = @ApiResponse(responseCode = "200",
            description = "A JSON page; with Accept: text/csv the CSV download",
            content = @Content(mediaType = CsvWriter.MEDIA_TYPE, schema = @Schema(type = "string"))))
    @GetMapping(path = "/v1/orgs/{orgId}/ledger", produces = CsvWriter.MEDIA_TYPE)
    void ledgerCsv(@PathVariable UUID orgId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(name = "credential_source", required = false) String source, HttpServletResponse response) {
        Caller caller = Caller.current();
        CsvWriter.download(response, "ledger-" + orgId, out -> reports.exportCsv(caller, orgId, from, to, source, out));
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
}
