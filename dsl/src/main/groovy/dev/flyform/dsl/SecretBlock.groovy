package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code secret('db') { app = web; name = 'DATABASE_URL'; value = env('DATABASE_URL') }}:
 * {@code fly_secret.LABEL}. The value is never stored or shown.
 */
@CompileStatic
class SecretBlock extends ResourceBlock {

    SecretBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_secret', label, location, declarations)
    }

    @Override
    List<String> attributeNames() { ['app', 'name', 'value', 'staged'] }

    @Override
    List<String> computedNames() { ['flyDigest'] }

    @Override
    String referenceAttribute() { 'name' }

    void setApp(Object value) { record('app', appRef(value)) }

    void setName(Object value) { record('name', text('name', value)) }

    void setValue(Object value) { record('value', text('value', value)) }

    /** Set without restarting the app's machines. */
    void setStaged(Object value) { record('staged', bool('staged', value)) }

    Object getName() { recorded('name') }

    // Call forms (`region regionCode`), which a script variable of the same name cannot shadow.
    void app(Object value) { setApp(value) }

    void name(Object value) { setName(value) }

    void value(Object value) { setValue(value) }

    void staged(Object value) { setStaged(value) }
}
