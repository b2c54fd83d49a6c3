package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import groovy.transform.CompileStatic

/** {@code fly_app} in a script or a block: the blocks of that type in the directory, by label. */
@CompileStatic
final class BlockNamespace {

    final String type
    private final String referencedAttribute
    private final String modulePath

    /**
     * @param referencedAttribute what a block of the type means as a value ({@code app = fly_app.web}: its name)
     * @param modulePath          the module whose blocks it names; empty: the root configuration's
     */
    BlockNamespace(String type, String referencedAttribute, String modulePath = '') {
        this.type = type
        this.referencedAttribute = referencedAttribute
        this.modulePath = modulePath
    }

    def propertyMissing(String label) {
        if (!ResourceAddress.isValidName(label)) {
            throw new MissingPropertyException(label, BlockNamespace)
        }
        new BlockReference(new ResourceAddress(modulePath, type, label), referencedAttribute)
    }

    @Override
    String toString() {
        type
    }
}
