package dev.flyform.examples

import com.fasterxml.jackson.databind.JsonNode
import dev.flyform.emulator.FlyEmulator

/** What examples/full declares, as the emulated Fly must hold it: nothing missing, no duplicate, no orphan. */
class FullInventory {

    static void assertExact(FlyEmulator fly) {
        JsonNode apps = fly.inventory().path('apps')
        assert apps.fieldNames().toList() == ['flyform-full-web']
        JsonNode app = apps.path('flyform-full-web')
        assert app.path('ips')*.path('type')*.asText().toSorted() == ['shared_v4', 'v6']
        assert app.path('certificates')*.asText() == ['www.flyform-full.example']
        assert app.path('secrets')*.asText() == ['DATABASE_URL']
        def volumes = app.path('volumes').findAll { it.path('state').asText() == 'created' }
        def machines = app.path('machines').findAll { it.path('state').asText() != 'destroyed' }
        assert volumes.size() == 1
        assert machines.size() == 1
        assert machines[0].path('config').path('mounts')[0].path('volume').asText() == volumes[0].path('id').asText()
    }
}
