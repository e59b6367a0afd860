package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.Reliability;

/** Bad input is a 4xx problem that says what is wrong: never a 500, never a stack trace. */
class BadInputIT extends IntegrationTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** Each case tries one bad input: the run's summary counts them. */
    @AfterEach
    void countTheInput() {
        Reliability.inputTried();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"name\": \"k\", \"scopes\": [\"admin\"]",
        "{name: \"k\", scopes: [\"admin\"]}",
        "{\"name\": \"k\", \"scopes\": [admin]}",
        "{\"name\": \"k\",, \"scopes\": [\"admin\"]}",
        "not json at all",
        ""})
    void givenMalformedJson_whenPosting_thenMalformedBody(String body) {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().send("POST", "/v1/orgs/" + owner.orgId() + "/api-keys", body,
                "application/json");

        assertThatProblem(response).hasStatus(400).hasType("/problems/malformed-body");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        # missing required fields
        POST  | /v1/auth/signup                      | {"email": "a@example.com", "password": "long enough password", "name": "A"} | organization_name
        POST  | /v1/orgs/{org}/api-keys              | {"name": "k"}                                        | scopes
        POST  | /v1/orgs/{org}/api-keys              | {"scopes": ["admin"]}                                | name
        POST  | /v1/orgs/{org}/api-keys/{key}/rotate | {}                                                   | grace_seconds
        POST  | /v1/orgs/{org}/members               | {"email": "a@example.com"}                           | role
        PATCH | /v1/orgs/{org}                       | {}                                                   | name
        POST  | /v1/invitations/accept               | {}                                                   | token
        POST  | /v1/invitations/preview              | {"token": ""}                                        | token
        # wrong types or formats
        POST  | /v1/orgs/{org}/api-keys              | {"name": "k", "scopes": "admin"}                     | scopes
        POST  | /v1/orgs/{org}/api-keys              | {"name": "k", "scopes": ["admin"], "expires_at": "tomorrow"} | expires_at
        POST  | /v1/orgs/{org}/api-keys              | {"name": "k", "scopes": ["admin"], "rate_limit_per_minute": "lots"} | rate_limit_per_minute
        POST  | /v1/orgs/{org}/api-keys/{key}/rotate | {"grace_seconds": "x"}                               | grace_seconds
        POST  | /v1/orgs/{org}/api-keys/{key}/rotate | {"grace_seconds": -1}                                | grace_seconds
        POST  | /v1/orgs/{org}/api-keys/{key}/rotate | {"grace_seconds": 99999999999999999999}              | grace_seconds
        # unknown fields
        POST  | /v1/orgs/{org}/api-keys              | {"name": "k", "scopes": ["admin"], "colour": "blue"} | colour
        POST  | /v1/auth/signup                      | {"email": "b@example.com", "password": "long enough password", "name": "B", "organization_name": "B", "platform_admin": true} | platform_admin
        PATCH | /v1/orgs/{org}                       | {"name": "New name", "plan": "enterprise"}           | plan
        POST  | /v1/invitations/accept               | {"token": "invite_x", "role": "owner"}               | role
        """)
    void givenInvalidBody_whenSending_thenValidationProblemNamingTheField(String method, String path, String body,
            String field) {
        SignedUp owner = signUp();
        UUID keyId = issueApiKey(owner, "usage:read").id();

        ApiClient.Response response = owner.client().send(method,
                path.replace("{org}", owner.orgId().toString()).replace("{key}", keyId.toString()), body,
                "application/json");

        assertThatProblem(response).hasStatus(400).hasType("/problems/validation").namesField(field);
    }

    @ParameterizedTest(name = "{0}?limit={1}")
    @CsvSource(delimiter = '|', textBlock = """
        /v1/orgs/{org}/api-keys      | 0
        /v1/orgs/{org}/api-keys      | 201
        /v1/orgs/{org}/ledger        | 201
        /v1/orgs/{org}/ledger        | 500
        /v1/orgs/{org}/calls         | 201
        /v1/orgs/{org}/audit-events  | 201
        /v1/admin/orgs               | 201
        """)
    void givenALimitOutsideOneTo200_whenListing_thenEveryListRefusesItNamingLimitInsteadOfClamping(String path,
            String limit) {
        SignedUp owner = signUp();
        ApiClient client = path.startsWith("/v1/admin") ? platformAdmin() : owner.client();

        ApiClient.Response response = client.get(path.replace("{org}", owner.orgId().toString()) + "?limit=" + limit);

        assertThatProblem(response).hasStatus(400).hasType("/problems/validation").namesField("limit");
    }

    @Test
    void givenBodyOver64KB_whenSentWithContentLength_thenPayloadTooLarge() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().send("POST", keysOf(owner), keyRequestOfSize(70_000),
                "application/json");

        assertThatProblem(response).hasStatus(413).hasType("/problems/payload-too-large");
        assertThat(owner.client().get(keysOf(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenBodyOver64KB_whenSentChunked_thenPayloadTooLarge() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().sendChunked("POST", keysOf(owner), keyRequestOfSize(70_000),
                "application/json");

        assertThatProblem(response).hasStatus(413).hasType("/problems/payload-too-large");
        assertThat(owner.client().get(keysOf(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenBodyJustUnder64KB_whenSent_thenItIsReadAndJudgedOnItsContent() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().sendChunked("POST", keysOf(owner), keyRequestOfSize(60_000),
                "application/json");

        assertThatProblem(response).hasStatus(400).hasType("/problems/validation").namesField("name");
    }

    @Test
    void givenNonJsonContentType_whenPosting_thenUnsupportedMediaType() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().send("POST", keysOf(owner),
                "{\"name\": \"k\", \"scopes\": [\"admin\"]}", "text/plain");

        assertThatProblem(response).hasStatus(415).hasType("/problems/unsupported-media-type");
        assertThat(owner.client().get(keysOf(owner)).json().get("items")).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # ids that are UUIDs but name nothing
        GET    | /v1/orgs/{random}                             |
        PATCH  | /v1/orgs/{random}                             | {"name": "x"}
        GET    | /v1/orgs/{random}/members                     |
        GET    | /v1/orgs/{random}/invitations                 |
        GET    | /v1/orgs/{org}/api-keys/{random}              |
        DELETE | /v1/orgs/{org}/api-keys/{random}              |
        POST   | /v1/orgs/{org}/api-keys/{random}/rotate       | {"grace_seconds": 0}
        PATCH  | /v1/orgs/{org}/members/{random}               | {"role": "viewer"}
        DELETE | /v1/orgs/{org}/members/{random}               |
        DELETE | /v1/orgs/{org}/invitations/{random}           |
        # ids that are not UUIDs
        GET    | /v1/orgs/not-a-uuid                           |
        PATCH  | /v1/orgs/12345                                | {"name": "x"}
        GET    | /v1/orgs/{org}/api-keys/not-a-uuid            |
        POST   | /v1/orgs/{org}/api-keys/not-a-uuid/rotate     | {"grace_seconds": 0}
        DELETE | /v1/orgs/{org}/members/me                     |
        DELETE | /v1/orgs/{org}/invitations/%20                |
        """)
    void givenIdThatNamesNothing_whenCalling_thenNotFound(String method, String path, String body) {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().call(method,
                path.replace("{org}", owner.orgId().toString()).replace("{random}", UUID.randomUUID().toString()),
                body);

        assertThatProblem(response).hasStatus(404).hasType("/problems/not-found");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        GET    | /v1/no-such-thing
        POST   | /v1/no-such-thing
        GET    | /v1/orgs/{org}/no-such-thing
        DELETE | /v1/orgs/{org}/api-keys/{random}/no-such-thing
        """)
    void givenUnknownPath_whenCalling_thenNotFoundProblem(String method, String path) {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().call(method,
                path.replace("{org}", owner.orgId().toString()).replace("{random}", UUID.randomUUID().toString()),
                null);

        assertThatProblem(response).hasStatus(404).hasType("/problems/not-found");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        PUT    | /v1/orgs/{org}                         | PATCH
        DELETE | /v1/me                                 | GET
        GET    | /v1/auth/login                         | POST
        GET    | /v1/orgs/{org}/api-keys/{random}/rotate | POST
        """)
    void givenWrongMethod_whenCalling_thenMethodNotAllowed(String method, String path, String allowed) {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().call(method,
                path.replace("{org}", owner.orgId().toString()).replace("{random}", UUID.randomUUID().toString()),
                null);

        assertThatProblem(response).hasStatus(405).hasType("/problems/method-not-allowed");
        assertThat(response.header("Allow")).contains(allowed);
    }

    @Test
    void givenNoCredentials_whenCallingTheApi_thenUnauthenticatedProblem() {
        assertThatProblem(client().get("/v1/me")).hasStatus(401).hasType("/problems/unauthenticated");
        assertThatProblem(client().bearer("not-a-latchkey-token").get("/v1/me")).hasStatus(401)
                .hasType("/problems/unauthenticated");
    }

    @Test
    void givenHarmlessRequestId_whenCalling_thenItIsEchoedAndReportedInProblems() {
        SignedUp owner = signUp();

        ApiClient.Response ok = owner.client().get("/v1/me", "X-Request-Id", "trace-42.abc:def");
        ApiClient.Response problem = owner.client().get("/v1/orgs/" + UUID.randomUUID(), "X-Request-Id", "trace-43");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Request-Id")).isEqualTo("trace-42.abc:def");
        assertThat(problem.header("X-Request-Id")).isEqualTo("trace-43");
        assertThatProblem(problem).hasStatus(404);
        assertThat(problem.json().get("request_id").asString()).isEqualTo("trace-43");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has spaces in it", "<script>alert(1)</script>", "line\tbreak", "way-too-long-"})
    void givenAbsurdRequestId_whenCalling_thenAGeneratedOneReplacesIt(String supplied) {
        String requestId = supplied.equals("way-too-long-") ? supplied.repeat(24) : supplied;

        ApiClient.Response response = client().get("/v1/me", "X-Request-Id", requestId);

        assertThatProblem(response).hasStatus(401);
        assertThat(response.header("X-Request-Id")).isNotEqualTo(requestId).matches(UUID_PATTERN);
        assertThat(response.json().get("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void givenNoRequestId_whenCalling_thenOneIsGenerated() {
        ApiClient.Response response = client().get("/v1/me");

        assertThat(response.header("X-Request-Id")).matches(UUID_PATTERN);
        assertThat(response.json().get("request_id").asString()).isEqualTo(response.header("X-Request-Id"));
    }

    private static String keysOf(SignedUp owner) {
        return "/v1/orgs/" + owner.orgId() + "/api-keys";
    }

    /** A key creation request of about {@code size} bytes, made big by its name. */
    private static String keyRequestOfSize(int size) {
        return "{\"name\": \"" + "a".repeat(size) + "\", \"scopes\": [\"admin\"]}";
    }
}
