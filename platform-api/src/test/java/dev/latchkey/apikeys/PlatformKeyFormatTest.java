package dev.latchkey.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PlatformKeyFormatTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SecureRandom random = new SecureRandom();

    @Test
    void givenGeneratedKey_whenInspected_thenItHasThePlatformFormatAndParsesBack() {
        PlatformKeyFormat.ParsedKey generated = PlatformKeyFormat.generate(random);

        assertThat(generated.key()).hasSize(58).matches("platform_[0-9A-Za-z]{49}");
        assertThat(PlatformKeyFormat.LENGTH).isEqualTo(58);
        PlatformKeyFormat.ParsedKey parsed = PlatformKeyFormat.parse(generated.key()).orElseThrow();
        assertThat(parsed).isEqualTo(generated);
        assertThat(parsed.lookupId()).isEqualTo(generated.key().substring(9, 9 + PlatformKeyFormat.LOOKUP_LENGTH));
        assertThat(generated.key()).startsWith(parsed.displayPrefix());
        assertThat(generated.key().substring(52))
                .isEqualTo(PlatformKeyFormat.checksum(generated.key().substring(0, 52)));
    }

    @Test
    void givenParsedKey_whenPrinted_thenOnlyItsPublicPrefixShows() {
        PlatformKeyFormat.ParsedKey key = PlatformKeyFormat.generate(random);

        assertThat(key.toString()).contains(key.displayPrefix()).contains("***")
                .doesNotContain(key.key().substring(key.displayPrefix().length()));
    }

    @Test
    void givenGeneratedKey_whenAnySingleCharacterIsChanged_thenTheChecksumRefusesIt() {
        String key = PlatformKeyFormat.generate(random).key();

        for (int position = 0; position < key.length(); position++) {
            for (char replacement : BASE62.toCharArray()) {
                if (replacement == key.charAt(position)) {
                    continue;
                }
                String mistyped = key.substring(0, position) + replacement + key.substring(position + 1);
                assertThat(PlatformKeyFormat.parse(mistyped)).as("%s (position %d)", mistyped, position).isEmpty();
            }
        }
    }

    @Test
    void givenGeneratedKey_whenTruncatedOrExtended_thenItIsRefused() {
        String key = PlatformKeyFormat.generate(random).key();

        for (int length = 0; length < key.length(); length++) {
            assertThat(PlatformKeyFormat.parse(key.substring(0, length))).as("first %d characters", length).isEmpty();
        }
        for (int position = 0; position < key.length(); position++) {
            String dropped = key.substring(0, position) + key.substring(position + 1);
            assertThat(PlatformKeyFormat.parse(dropped)).as("without position %d", position).isEmpty();
        }
        assertThat(PlatformKeyFormat.parse(key + "a")).isEmpty();
        assertThat(PlatformKeyFormat.parse(" " + key)).isEmpty();
        assertThat(PlatformKeyFormat.parse(null)).isEmpty();
    }

    @Test
    void givenManyGeneratedKeys_whenCompared_thenEveryKeyAndLookupIdDiffers() {
        Set<String> keys = new HashSet<>();
        Set<String> lookupIds = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            PlatformKeyFormat.ParsedKey key = PlatformKeyFormat.generate(random);
            keys.add(key.key());
            lookupIds.add(key.lookupId());
        }

        assertThat(keys).hasSize(10_000);
        assertThat(lookupIds).hasSize(10_000);
    }
}
