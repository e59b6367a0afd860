package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The accounts settings bind with their defaults, and a wrong one stops the start naming the setting. */
class AccountsPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({AccountsProperties.class, BootstrapAdminProperties.class})
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void givenNothingSet_whenBound_thenTheRecordsDefaults() {
        context.run(started -> {
            AccountsProperties settings = started.getBean(AccountsProperties.class);
            assertThat(settings.requireEmailVerification()).isFalse();
            assertThat(settings.invitationLifetime()).isEqualTo(Duration.ofDays(7));
            assertThat(settings.maxOrganizationsPerUser()).isEqualTo(10);
            assertThat(settings.loginThrottle()).as("each action keeps its own defaults").isNull();
            assertThat(started.getBean(BootstrapAdminProperties.class).email()).isEmpty();
        });
    }

    @Test
    void givenAThrottleSetByEnvironmentVariableNames_whenBound_thenOnlyWhatIsSetIsOverridden() {
        context.withPropertyValues("latchkey.accounts.login-throttle.per-ip=7", "latchkey.accounts.link-throttle.period=1m")
                .run(started -> {
                    AccountsProperties settings = started.getBean(AccountsProperties.class);
                    assertThat(settings.loginThrottle()).isEqualTo(new AccountsProperties.Throttle(null, 7L, null));
                    assertThat(settings.linkThrottle().period()).isEqualTo(Duration.ofMinutes(1));
                });
    }

    @Test
    void givenNoOrganizationAllowedOrAnInvitationThatNeverWorks_whenStarting_thenItRefusesNamingTheSetting() {
        context.withPropertyValues("latchkey.accounts.max-organizations-per-user=0").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("maxOrganizationsPerUser"));
        context.withPropertyValues("latchkey.accounts.invitation-lifetime=0s").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("invitationLifetime"));
        context.withPropertyValues("latchkey.accounts.mfa-throttle.per-ip=-1").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("mfaThrottle.perIp"));
    }
}
