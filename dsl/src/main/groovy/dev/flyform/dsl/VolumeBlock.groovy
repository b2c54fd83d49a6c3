package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }}:
 * {@code fly_volume.LABEL}; a machine mounts it with {@code mount data, path: '/data'}.
 */
@CompileStatic
class VolumeBlock extends ResourceBlock {

    VolumeBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_volume', label, location, declarations)
    }

    @Override
    List<String> attributeNames() { ['app', 'name', 'region', 'sizeGb', 'encrypted', 'snapshotRetention', 'autoBackupEnabled'] }

    @Override
    List<String> computedNames() { ['id'] }

    @Override
    String referenceAttribute() { 'id' }

    void setApp(Object value) { record('app', appRef(value)) }

    void setName(Object value) { record('name', text('name', value)) }

    void setRegion(Object value) { record('region', text('region', value)) }

    /** Grows in place; Fly cannot shrink a volume. */
    void setSizeGb(Object value) { record('size_gb', number('sizeGb', value)) }

    void setEncrypted(Object value) { record('encrypted', bool('encrypted', value)) }

    void setSnapshotRetention(Object value) { record('snapshot_retention', number('snapshotRetention', value)) }

    void setAutoBackupEnabled(Object value) { record('auto_backup_enabled', bool('autoBackupEnabled', value)) }

    Object getRegion() { recorded('region') }

    // Call forms (`region regionCode`), which a script variable of the same name cannot shadow.
    void app(Object value) { setApp(value) }

    void name(Object value) { setName(value) }

    void region(Object value) { setRegion(value) }

    void sizeGb(Object value) { setSizeGb(value) }

    void encrypted(Object value) { setEncrypted(value) }

    void snapshotRetention(Object value) { setSnapshotRetention(value) }

    void autoBackupEnabled(Object value) { setAutoBackupEnabled(value) }
}
