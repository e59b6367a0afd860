package dev.latchkey.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.latchkey.accounts.Permission;
import dev.latchkey.accounts.Role;

class ApiKeyScopesTest {

    @Test
    void givenTheScopesAKeyMayCarry_whenComparedWithThePermissions_thenEveryScopeSaysWhichRolesMayGrantIt() {
        assertThat(Permission.keyScopes()).isEqualTo(ApiKeyScopes.ALL);
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
        assertThat(Role.parse(role).orElseThrow().keyScopes()).isEqualTo(Set.of(scopes.split(" ")));
    }

    @Test
    void givenPeopleOwnershipAndSettings_whenAskedWhetherAKeyMayDoThem_thenNeverNotEvenAnAdminKey() {
        for (Permission permission : Set.of(Permission.MEMBERS_MANAGE, Permission.ORG_MANAGE, Permission.ORG_DELETE)) {
            assertThat(permission.consoleOnly()).as(permission.name()).isTrue();
            assertThat(permission.grantedTo(ApiKeyScopes.ALL)).as(permission.name()).isFalse();
        }
    }
}
