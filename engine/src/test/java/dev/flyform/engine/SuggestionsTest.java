package dev.flyform.engine;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.diag.Suggestions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SuggestionsTest {

    private static final List<String> APP = List.of("name", "org", "network");

    @Test
    void swapsDropsAndTyposFindTheIntendedName() {
        assertEquals(Optional.of("name"), Suggestions.closest("nmae", APP));
        assertEquals(Optional.of("network"), Suggestions.closest("netwrk", APP));
        assertEquals(Optional.of("org"), Suggestions.closest("Org", APP));
    }

    @Test
    void somethingUnrelatedSuggestsNothing() {
        assertEquals(Optional.empty(), Suggestions.closest("region", APP));
        assertEquals("", Suggestions.didYouMean("image", APP));
    }

    @Test
    void addressesParseAndPrintAsTypeDotName() {
        assertEquals(new ResourceAddress("fly_app", "web"), ResourceAddress.parse("fly_app.web"));
        assertEquals("fly_app.preview_pr-1", new ResourceAddress("fly_app", "preview_pr-1").toString());
        assertThrows(IllegalArgumentException.class, () -> ResourceAddress.parse("fly_app"));
        assertThrows(IllegalArgumentException.class, () -> new ResourceAddress("fly_app", "1web"));
    }
}
