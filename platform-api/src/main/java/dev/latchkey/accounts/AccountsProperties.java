package dev.latchkey.accounts;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts ({@code latchkey.accounts.*}): mailed links, invitations, organizations per user and
 * the anti-automation throttles. Production mode turns {@code require-email-verification} on
 * (runtime/RuntimeModeEnvironment) unless it is set.
 *
 * @param requireEmailVerification an unverified account may sign in and read, but not add
 *        credentials, create API keys or invite
 * @param emailVerificationLifetime how long a mailed verification link works
 * @param passwordResetLifetime how long a mailed password reset link works
 * @param invitationLifetime how long an invitation's token works
 * @param maxOrganizationsPerUser how many organizations one user may own
 * @param passwordHashCost bcrypt's cost (log2 of its rounds) for new password hashes; production
 *        mode refuses less than 10 (the tests run with 4: every sign-up and login pays it)
 * @param loginThrottle login attempts per account (email) and per client address
 * @param signupThrottle signups per email and per client address
 * @param orgCreationThrottle new organizations per user and per client address
 * @param invitationThrottle invitations made per inviting user and per client address
 * @param invitationAcceptanceThrottle invitation tokens presented per user and per client address
 * @param passwordResetThrottle password reset requests per email and per client address
 * @param emailVerificationThrottle verification mails asked for again, per user and per client address
 * @param mfaThrottle two-factor codes tried per user and per client address
 * @param linkThrottle mailed links presented per client address
 */
@Validated
@ConfigurationProperties("latchkey.accounts")
record AccountsProperties(
        @DefaultValue("false") boolean requireEmailVerification,
        @DefaultValue("24h") @NotNull Duration emailVerificationLifetime,
        @DefaultValue("1h") @NotNull Duration passwordResetLifetime,
        @DefaultValue("7d") @NotNull @DurationMin(inclusive = false) Duration invitationLifetime,
        @DefaultValue("10") @Min(1) int maxOrganizationsPerUser,
        @DefaultValue("10") @Min(4) @Max(31) int passwordHashCost,
        @Valid Throttle loginThrottle,
        @Valid Throttle signupThrottle,
        @Valid Throttle orgCreationThrottle,
        @Valid Throttle invitationThrottle,
        @Valid Throttle invitationAcceptanceThrottle,
        @Valid Throttle passwordResetThrottle,
        @Valid Throttle emailVerificationThrottle,
        @Valid Throttle mfaThrottle,
        @Valid AddressThrottle linkThrottle) {

    /**
     * One action's throttle; what is left unset keeps that action's own default (the defaults differ
     * per action, so they live with the actions in {@link AccountThrottles}).
     *
     * @param perAccount tries per account in each period
     * @param perIp tries per client address in each period
     * @param period the period the tries are counted over
     */
    record Throttle(@Positive Long perAccount, @Positive Long perIp, Duration period) {
    }

    /**
     * The throttle of an action with no account to count against, only the client's address.
     *
     * @param perIp tries per client address in each period
     * @param period the period the tries are counted over
     */
    record AddressThrottle(@Positive Long perIp, Duration period) {
    }
}
