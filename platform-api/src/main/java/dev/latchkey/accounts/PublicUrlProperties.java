package dev.latchkey.accounts;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param publicUrl the console's address as users reach it ({@code https://latchkey.example.com}),
 *     the base of the links in mails; required in production with mail (a request's Host header is
 *     never used for them). Unset: {@code http://localhost:<port>}, for the embedded default.
 */
@ConfigurationProperties("latchkey")
record PublicUrlProperties(URI publicUrl) {

    PublicUrlProperties {
        // An empty value (LATCHKEY_PUBLIC_URL=) is no address.
        publicUrl = publicUrl == null || publicUrl.toString().isBlank() ? null : publicUrl;
    }
}
