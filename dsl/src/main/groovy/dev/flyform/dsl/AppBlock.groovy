package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code app('web') { name = 'acme-web'; org = 'acme' }}: a Fly app, address {@code fly_app.web}.
 */
@CompileStatic
class AppBlock extends ResourceBlock {

    AppBlock(String label, SourceLocation location, ScriptFiles files) {
        super('fly_app', label, location, files)
    }

    @Override
    List<String> attributeNames() {
        ['name', 'org', 'network']
    }

    /** The app's global Fly name: lowercase letters, digits and dashes, at most 63. */
    void setName(Object value) { record('name', text('name', value)) }

    String getName() { (String) recorded('name') }

    /** Organization slug (default: FLY_ORG, else personal). */
    void setOrg(Object value) { record('org', text('org', value)) }

    String getOrg() { (String) recorded('org') }

    /** An isolated private network for the app's machines. */
    void setNetwork(Object value) { record('network', text('network', value)) }

    String getNetwork() { (String) recorded('network') }

    // Method-call spellings (`name 'acme-web'`), which never clash with a script variable of the same name.
    void name(Object value) { setName(value) }

    void org(Object value) { setOrg(value) }

    void network(Object value) { setNetwork(value) }
}
