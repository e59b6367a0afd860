package dev.latchkey.webhooks;

import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Page;

@RestController
@RequestMapping(path = "/v1/orgs/{orgId}/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhooksController {

    private final WebhookService webhooks;

    WebhooksController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    record CreateRequest(@NotBlank @Size(max = 2048) String url, @Size(max = 200) String description,
            @Size(max = 10) Set<@NotBlank String> events) {
    }

    /** 201 with the signing secret, shown this once. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    WebhookViews.Created create(@PathVariable UUID orgId, @Valid @RequestBody CreateRequest request) {
        return webhooks.create(Caller.current(), orgId, new WebhookService.NewWebhook(request.url(),
                request.description(), request.events()));
    }

    @GetMapping
    Page<WebhookViews.Endpoint> list(@PathVariable UUID orgId) {
        return webhooks.list(Caller.current(), orgId);
    }

    @GetMapping("/{id}")
    WebhookViews.Endpoint get(@PathVariable UUID orgId, @PathVariable UUID id) {
        return webhooks.get(Caller.current(), orgId, id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID orgId, @PathVariable UUID id) {
        webhooks.delete(Caller.current(), orgId, id);
        return ResponseEntity.noContent().build();
    }

    /** The delivery log: every event sent to the endpoint, newest first, with each attempt. */
    @GetMapping("/{id}/deliveries")
    Page<WebhookViews.Delivery> deliveries(@PathVariable UUID orgId, @PathVariable UUID id,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
        return webhooks.deliveries(Caller.current(), orgId, id, cursor, limit);
    }
}
