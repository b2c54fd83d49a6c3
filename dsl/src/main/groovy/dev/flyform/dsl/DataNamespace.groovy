package dev.flyform.dsl

import dev.flyform.engine.provider.ProviderSchema
import dev.flyform.engine.provider.ResourceSchema
import groovy.transform.CompileStatic

/** {@code data} in a script or a block: data sources by type, then label ({@code data.fly_app.legacy.id}). */
@CompileStatic
final class DataNamespace {

    private final ProviderSchema schema
    private final String modulePath

    DataNamespace(ProviderSchema schema, String modulePath = '') {
        this.schema = schema
        this.modulePath = modulePath
    }

    def propertyMissing(String type) {
        ResourceSchema source = schema.dataSources()[type]
        if (source == null) {
            throw new MissingPropertyException(type, DataNamespace)
        }
        new BlockNamespace('data.' + type, source.referencedBy(), modulePath)
    }

    @Override
    String toString() {
        'data'
    }
}
