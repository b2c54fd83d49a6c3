package dev.flyform.provider.fly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and endpoints are found exactly where flyctl finds them. */
class FlySettingsTest {

    @TempDir
    Path home;

    private void configFile(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yml"), yaml);
    }

    @Test
    void flyAccessTokenWinsOverFlyApiTokenWhichWinsOverTheConfigFile() throws Exception {
        configFile(home.resolve(".fly"), "access_token: fo1_from_file\n");

        assertEquals("Bearer fo1_access", FlySettings.from(Map.of("FLY_ACCESS_TOKEN", "fo1_access", "FLY_API_TOKEN", "fo1_api"), home)
                .token().orElseThrow().restAuthorization());
        assertEquals("Bearer fo1_api", FlySettings.from(Map.of("FLY_ACCESS_TOKEN", " ", "FLY_API_TOKEN", "fo1_api"), home)
                .token().orElseThrow().restAuthorization());
        assertEquals("Bearer fo1_from_file", FlySettings.from(Map.of(), home).token().orElseThrow().restAuthorization());
    }

    @Test
    void flyConfigDirMovesTheConfigFile() throws Exception {
        configFile(home.resolve("elsewhere"), "access_token: FlyV1 fm2_abc\n");

        FlySettings s = FlySettings.from(Map.of("FLY_CONFIG_DIR", home.resolve("elsewhere").toString()), home);

        assertEquals("FlyV1 fm2_abc", s.token().orElseThrow().restAuthorization());
    }

    @Test
    void noTokenAnywhereIsEmptyNotAnError() {
        assertTrue(FlySettings.from(Map.of(), home).token().isEmpty());
    }

    @Test
    void endpointsComeFromFlyFlapsBaseUrlAndFlyApiBaseUrl() {
        FlySettings defaults = FlySettings.from(Map.of(), home);
        FlySettings local = FlySettings.from(Map.of("FLY_FLAPS_BASE_URL", "http://127.0.0.1:4280/",
                "FLY_API_BASE_URL", "http://127.0.0.1:4281"), home);

        assertEquals(URI.create("https://api.machines.dev"), defaults.machinesBaseUrl());
        assertEquals(URI.create("https://api.fly.io"), defaults.graphqlBaseUrl());
        assertEquals(URI.create("http://127.0.0.1:4280"), local.machinesBaseUrl());
        assertEquals(URI.create("http://127.0.0.1:4281"), local.graphqlBaseUrl());
        assertThrows(IllegalArgumentException.class, () -> FlySettings.from(Map.of("FLY_FLAPS_BASE_URL", "not a url"), home));
    }

    @Test
    void aBrokenConfigFileIsReportedWithoutQuotingItsContent() throws Exception {
        configFile(home.resolve(".fly"), "access_token: [fo1_secret_value\n  : : :\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlySettings.from(Map.of(), home));

        assertFalse(e.getMessage().contains("fo1_secret_value"), e.getMessage());
    }

    @Test
    void macaroonsUseFlyV1AndEverythingElseBearerAndNothingPrintsTheToken() {
        FlyToken macaroons = FlyToken.parse("FlyV1 fm2_one,fm1r_two,fo1_user");
        FlyToken user = FlyToken.parse("Bearer fo1_user");

        assertEquals("FlyV1 fm2_one,fm1r_two", macaroons.restAuthorization());
        assertEquals("FlyV1 fm2_one,fm1r_two,fo1_user", macaroons.graphqlAuthorization());
        assertEquals("Bearer fo1_user", user.restAuthorization());
        assertFalse(macaroons.toString().contains("fm2_one"));
        assertFalse(FlySettings.of(URI.create("http://x"), URI.create("http://x"), "fm2_one").toString().contains("fm2_one"));
    }
}
