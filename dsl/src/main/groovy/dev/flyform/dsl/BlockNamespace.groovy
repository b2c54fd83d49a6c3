package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import groovy.transform.CompileStatic

/** {@code fly_app} in a script or a block: the blocks of that type in the directory, by label. */
@CompileStatic
final class BlockNamespace {

    final String type

    BlockNamespace(String type) {
        this.type = type
    }

    def propertyMissing(String label) {
        if (!ResourceAddress.isValidName(label)) {
            throw new MissingPropertyException(label, BlockNamespace)
        }
        new BlockReference(new ResourceAddress(type, label))
    }

    @Override
    String toString() {
        type
    }
}
