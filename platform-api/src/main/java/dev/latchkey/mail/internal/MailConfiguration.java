package dev.latchkey.mail.internal;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;

import dev.latchkey.runtime.LatchkeyHome;
import dev.latchkey.runtime.RuntimeMode;

/**
 * Where mail goes: the SMTP server of {@code spring.mail.*} when one is configured (host, port,
 * username, password; STARTTLS through {@code spring.mail.properties.mail.smtp.starttls.*}); else,
 * in the embedded default, the log and {@code <latchkey.home>/mail/}; in production without one
 * (allowed only with email verification off) nowhere.
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    MailTransport mailTransport(Environment environment, ObjectProvider<JavaMailSender> sender, LatchkeyHome home,
            RuntimeMode mode, Clock clock, LatchkeyMailProperties settings) {
        String from = settings.from();
        String host = environment.getProperty("spring.mail.host", "");
        if (!host.isBlank()) {
            return new SmtpMailTransport(sender.getObject(), from,
                    host + ":" + environment.getProperty("spring.mail.port", "25"));
        }
        if (mode == RuntimeMode.PRODUCTION) {
            return new DisabledMailTransport();
        }
        return new LogMailTransport(home.directory().resolve("mail"), from, clock);
    }
}
