package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;

/** The console's real URLs open the console; the server's own paths and missing files do not. */
class ConsoleRoutesIT extends IntegrationTest {

    private static final String[] HTML = {"Accept", "text/html,application/xhtml+xml"};

    @BeforeEach
    void theConsoleIsBuilt() {
        // -Dskip.web.build packages platform-web without the console: nothing to serve then.
        assumeTrue(getClass().getResource("/static/index.html") != null, "the console was not built");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/signup", "/orgs/3f1c6a52-8d0e-4a8e-9d5e-0a7f4c1b2e3d/api-keys",
        "/orgs/3f1c6a52-8d0e-4a8e-9d5e-0a7f4c1b2e3d/audit", "/admin/orgs", "/invitations/accept"})
    void givenAConsoleRoute_whenABrowserOpensIt_thenItGetsTheConsolePage(String path) {
        ApiClient.Response response = client().get(path, HTML);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).contains("<div id=\"app\">");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/no-such-endpoint", "/v1/admin/nothing-here", "/actuator/nothing",
        "/orgs/assets/missing.js", "/assets/missing.js"})
    void givenAServerPathOrAMissingFile_whenABrowserOpensIt_thenItIsNotTheConsole(String path) {
        ApiClient.Response response = client().get(path, HTML);

        assertThat(response.status()).isIn(401, 404);
        assertThat(response.body()).doesNotContain("<div id=\"app\">");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/no-such-endpoint", "/actuator/nothing"})
    void givenASignedInUser_whenAskingForAServerPathThatDoesNotExist_thenItIsANotFoundProblem(String path) {
        assertThatProblem(signUp().client().get(path, "Accept", "application/json")).hasStatus(404);
    }

    @org.junit.jupiter.api.Test
    void givenAConsoleAsset_whenLoaded_thenItIsTheFileItself() {
        String index = client().get("/", HTML).body();
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index);
        assertThat(script.find()).as("index.html names its script").isTrue();

        ApiClient.Response asset = client().get(script.group(1), "Accept", "*/*");

        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.contentType()).contains("javascript");
    }
}
