package dev.latchkey.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.latchkey.accounts.Permission;
import dev.latchkey.accounts.Role;

class ScopesTest {

    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path SCOPE_SOURCE = MAIN_SOURCES.resolve("dev/latchkey/kernel/Scope.java");

    @Test
    void givenTheScopesAKeyMayCarry_whenComparedWithThePermissions_thenEveryScopeSaysWhichRolesMayGrantIt() {
        assertThat(Permission.keyScopes()).isEqualTo(EnumSet.allOf(Scope.class));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        owner     | admin rooms:write sessions:mint tokens:mint usage:read
        admin     | admin rooms:write sessions:mint tokens:mint usage:read
        developer | rooms:write sessions:mint tokens:mint usage:read
        billing   | usage:read
        viewer    | usage:read
        """)
    void givenRole_whenAskedWhichScopesItMayGrant_thenOnlyThoseWhoseEveryPermissionItHolds(String role, String scopes) {
        assertThat(Scope.names(Role.parse(role).orElseThrow().keyScopes())).containsExactly(scopes.split(" "));
    }

    @Test
    void givenPeopleOwnershipAndSettings_whenAskedWhetherAKeyMayDoThem_thenNeverNotEvenAnAdminKey() {
        Caller.ApiKey everything = key(EnumSet.allOf(Scope.class));
        for (Permission permission : Set.of(Permission.MEMBERS_MANAGE, Permission.ORG_MANAGE, Permission.ORG_DELETE)) {
            assertThat(permission.consoleOnly()).as(permission.name()).isTrue();
            assertThat(permission.grantedTo(everything)).as(permission.name()).isFalse();
        }
    }

    @Test
    void givenAKeyWithOneScope_whenAnotherIsRequired_thenForbiddenNamingTheMissingScope() {
        Caller.ApiKey usage = key(Set.of(Scope.USAGE_READ));

        assertThat(usage.require(Scope.SESSIONS_MINT, Scope.USAGE_READ)).isSameAs(usage);
        assertThatThrownBy(() -> usage.require(Scope.TOKENS_MINT))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> {
                    assertThat(e.problemType()).isEqualTo(ProblemType.FORBIDDEN);
                    assertThat(e.getMessage()).contains("tokens:mint");
                });
    }

    @Test
    void givenAnAdminKey_whenAnyScopeIsRequired_thenItHoldsIt() {
        Caller.ApiKey admin = key(Set.of(Scope.ADMIN));

        for (Scope scope : Scope.values()) {
            assertThat(admin.require(scope)).isSameAs(admin);
        }
    }

    @Test
    void givenAConsoleUser_whenAScopeIsRequired_thenForbidden() {
        Caller user = new Caller.User(UUID.randomUUID(), "someone@example.com", true);

        assertThatThrownBy(() -> user.require(Scope.TOKENS_MINT)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.problemType()).isEqualTo(ProblemType.FORBIDDEN));
    }

    @Test
    void givenTheMainSources_whenScannedForScopeNames_thenOnlyTheKernelWritesThem() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (file.equals(SCOPE_SOURCE)) {
                    continue;
                }
                String source = Files.readString(file);
                for (Scope scope : Scope.values()) {
                    if (source.contains("\"" + scope.value() + "\"")) {
                        found.add(MAIN_SOURCES.relativize(file) + ": \"" + scope.value() + "\"");
                    }
                }
            }
        }
        assertThat(Files.exists(SCOPE_SOURCE)).isTrue();
        assertThat(found).as("scope names written outside kernel/Scope.java").isEmpty();
    }

    private static Caller.ApiKey key(Set<Scope> scopes) {
        return new Caller.ApiKey(UUID.randomUUID(), UUID.randomUUID(), scopes);
    }
}
