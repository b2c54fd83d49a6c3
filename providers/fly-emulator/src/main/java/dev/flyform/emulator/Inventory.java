package dev.flyform.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the emulated Fly holds, in one object that is saved as JSON. Guarded by the
 * emulator's lock; never handed out without copying.
 */
final class Inventory {

    public long session;
    public long nextSequence = 1;
    public long nextNumericId = 1_000_000;
    public Map<String, Organization> organizations = new TreeMap<>();
    public Map<String, EmulatedApp> apps = new TreeMap<>();
    public List<Call> calls = new ArrayList<>();
}
