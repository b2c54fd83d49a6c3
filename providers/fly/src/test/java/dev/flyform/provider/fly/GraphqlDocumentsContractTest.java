package dev.flyform.provider.fly;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flyform.emulator.FaultSettings;
import dev.flyform.emulator.FlyEmulator;
import dev.flyform.emulator.contract.FlyContract;
import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.provider.ApplyRequest;
import dev.flyform.engine.provider.ApplyResponse;
import dev.flyform.engine.provider.PlanRequest;
import dev.flyform.engine.provider.PrepareCreateRequest;
import dev.flyform.engine.provider.ReadManyRequest;
import dev.flyform.engine.provider.ReadManyResponse;
import dev.flyform.engine.provider.ReadRequest;
import dev.flyform.engine.provider.ReadResponse;
import dev.flyform.engine.state.ResourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The GraphQL documents the provider itself sends (the batched {@code Refresh}, the direct
 * {@code ReadIp}, {@code Regions}, the data source's {@code Organization}) are valid against Fly's schema: each is made to be sent by
 * driving the provider, and the emulator checks it on Fly's own schema. Nothing here is a copy
 * of a document: a field the provider asks for that Fly does not have fails this test.
 */
class GraphqlDocumentsContractTest {

    private static final Pattern OPERATION = Pattern.compile("^\\s*(query|mutation)\\s+(\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlyEmulator fly = FlyEmulator.start(0);
    private final FlyContract contract = FlyContract.attachTo(fly);
    private final Set<String> operations = new TreeSet<>();
    private final FlyProvider provider = new FlyProvider(
            FlySettings.of(fly.baseUrl(), fly.baseUrl(), FlyEmulator.PERSONAL_TOKEN), "personal", "flyform-test");

    {
        fly.observe(e -> {
            if (e.path().equals("/graphql") && e.status() != 0) {
                try {
                    Matcher m = OPERATION.matcher(JSON.readTree(e.requestBody()).path("query").asText());
                    synchronized (operations) {
                        operations.add(m.find() ? m.group(2) : "(anonymous)");
                    }
                } catch (Exception ignored) {
                    operations.add("(not JSON)");
                }
            }
        });
    }

    @AfterEach
    void stop() {
        fly.close();
    }

    @Test
    void everyDocumentTheProviderSendsIsValidAgainstFlysSchema() {
        List<ResourceState> made = new ArrayList<>();
        made.add(create(new ResourceAddress("fly_app", "web"), Map.of("name", "contract-web")));
        made.add(create(new ResourceAddress("fly_ip", "v6"), Map.of("app", "contract-web", "type", "v6")));
        made.add(create(new ResourceAddress("fly_certificate", "www"), Map.of("app", "contract-web", "hostname", "www.example.com")));
        made.add(create(new ResourceAddress("fly_secret", "key"), Map.of("app", "contract-web", "name", "API_KEY", "value", "s3cret")));
        made.add(create(new ResourceAddress("fly_volume", "data"),
                Map.of("app", "contract-web", "name", "data", "region", "iad", "size_gb", 1L)));

        ReadManyResponse refreshed = provider.readMany(new ReadManyRequest(made));
        assertEquals(Set.of(), Set.copyOf(refreshed.diagnostics()), "the batch answered without errors");
        for (ResourceState m : made) {
            ReadResponse r = refreshed.results().get(m.address());
            assertNotNull(r == null ? null : r.current(), m.address() + " refreshed");
        }

        // A list that leaves the address out sends the provider to its direct GraphQL read.
        fly.faults(fly.faults().toBuilder().listOmissionRate(1.0).build());
        ReadResponse ip = provider.read(new ReadRequest(made.get(1)));
        assertNotNull(ip.current(), ip.diagnostics().toString());
        fly.faults(fly.faults().toBuilder().listOmissionRate(0).build());

        assertFalse(provider.fetchRegions().isEmpty());
        ReadResponse org = provider.readData(ResourceAddress.data("fly_organization", "mine"), Map.of("slug", "personal"));
        assertEquals("personal", org.current().attributes().get("slug"), org.diagnostics().toString());

        assertEquals(Set.of("Organization", "ReadIp", "Refresh", "Regions"), operations, "the provider sent each of its documents");
        contract.assertClean();
    }

    private ResourceState create(ResourceAddress address, Map<String, Object> config) {
        Map<String, Object> planned = new HashMap<>(provider.plan(new PlanRequest(address, null, config)).planned());
        String intent = "contract-" + address.name();
        Map<String, Object> data = new HashMap<>(provider.prepareCreate(new PrepareCreateRequest(address, planned, intent)).intentData());
        data.put("intent_id", intent);
        ApplyResponse made = provider.apply(new ApplyRequest(address, null, planned, data));
        assertFalse(made.failed(), made.diagnostics().toString());
        return made.newState();
    }
}
