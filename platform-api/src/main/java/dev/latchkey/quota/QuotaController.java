package dev.latchkey.quota;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;

@RestController
class QuotaController {

    private final QuotaService quotas;

    QuotaController(QuotaService quotas) {
        this.quotas = quotas;
    }

    /** {@code burst} defaults to {@code limit}: a bucket as deep as one window's refill. */
    record RateBody(@NotNull @Min(1) @Max(1_000_000) Long limit,
            @NotNull @Min(1) @Max(86_400) Long windowSeconds,
            @Min(1) @Max(10_000_000) Long burst) {
        QuotaView.Rate toRate() {
            return new QuotaView.Rate(limit, windowSeconds, burst == null ? limit : burst);
        }
    }

    record MonthlyBody(@NotNull @Min(0) @Max(1_000_000_000_000L) Long allowance) {
    }

    /** PUT replaces the overrides: a missing {@code rate} or {@code monthly} means the plan's value. */
    record ChangeRequest(@Size(min = 1, max = 40) String plan, @Valid RateBody rate, @Valid MonthlyBody monthly) {
    }

    @GetMapping(path = "/v1/orgs/{orgId}/quota", produces = MediaType.APPLICATION_JSON_VALUE)
    QuotaView get(@PathVariable UUID orgId) {
        return quotas.get(Caller.current(), orgId);
    }

    /** Platform admins only; anyone else is told there is nothing here. */
    @PutMapping(path = "/v1/admin/orgs/{orgId}/quota", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    QuotaView change(@PathVariable UUID orgId, @Valid @RequestBody ChangeRequest request) {
        Caller.User admin = Caller.currentPlatformAdmin();
        return quotas.change(admin, orgId, new QuotaChange(request.plan(),
                request.rate() == null ? null : request.rate().toRate(),
                request.monthly() == null ? null : request.monthly().allowance()));
    }
}
