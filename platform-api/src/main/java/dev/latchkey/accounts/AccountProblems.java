package dev.latchkey.accounts;

import dev.latchkey.kernel.ProblemType;

/** The problem types of the account lifecycle (documented in the README's problem table). */
final class AccountProblems {

    static final ProblemType LINK_NOT_FOUND = new ProblemType("/problems/link-not-found", 404, "No such link");
    static final ProblemType LINK_UNUSABLE = new ProblemType("/problems/link-unusable", 410, "Link no longer valid");
    static final ProblemType EMAIL_UNVERIFIED = new ProblemType("/problems/email-unverified", 403,
            "Email not verified");
    static final ProblemType MFA_REQUIRED = new ProblemType("/problems/mfa-required", 401,
            "Second factor required");
    static final ProblemType INVALID_MFA_CODE = new ProblemType("/problems/invalid-mfa-code", 401,
            "Invalid two-factor code");
    static final ProblemType MFA_ENROLMENT_REQUIRED = new ProblemType("/problems/mfa-enrolment-required", 403,
            "Two-factor authentication required");

    private AccountProblems() {
    }
}
