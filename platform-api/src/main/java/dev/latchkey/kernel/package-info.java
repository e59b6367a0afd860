/**
 * The shared kernel: the vocabulary every capability speaks. Who is calling ({@code Caller}) and
 * the one check of a key's scopes ({@code Scope}), the providers Latchkey brokers for
 * ({@code Provider}), the one error family ({@code LatchkeyException}, {@code ProblemType}), the
 * one way a list is paged ({@code Page}, {@code PageCursor}, the one cursor codec {@code Cursor}),
 * the one way a bearer secret is made and stored ({@code SecretTokenFormat},
 * {@code SecretHasher}), the event of a change that goes on the audit record
 * ({@code AuditedChange}), and the rules for text an app hands in ({@code EndUser},
 * {@code PrintableText}, as Bean Validation constraints). It depends on no capability; an open
 * module, so every type in it is API.
 */
@ApplicationModule(displayName = "Shared kernel", type = ApplicationModule.Type.OPEN)
package dev.latchkey.kernel;

import org.springframework.modulith.ApplicationModule;
