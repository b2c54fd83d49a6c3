package dev.flyform.engine.config;

import dev.flyform.engine.addr.ResourceAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/** Evaluates outputs against resource attributes: planned ones (for plan) or applied ones (after apply). */
public final class Outputs {

    /**
     * @param sensitive declared sensitive, or it reads a sensitive attribute: never shown
     */
    public record Value(String name, Object value, boolean sensitive) {
    }

    private Outputs() {
    }

    /**
     * @param attributes        the attributes of a resource, or null when it does not exist
     * @param sensitiveAttribute whether an attribute of a resource type is sensitive
     */
    public static List<Value> evaluate(Configuration config, Function<ResourceAddress, Map<String, Object>> attributes,
                                       BiPredicate<String, String> sensitiveAttribute) {
        List<Value> values = new ArrayList<>();
        for (Output output : config.outputs().values()) {
            boolean sensitive = output.sensitive() || Values.references(output.value()).stream()
                    .anyMatch(r -> sensitiveAttribute.test(r.address().type(), r.attribute()));
            Object value = Values.resolve(output.value(), ref -> {
                Map<String, Object> attrs = attributes.apply(ref.address());
                return attrs == null ? Unknown.AFTER_APPLY : attrs.getOrDefault(ref.attribute(), Unknown.AFTER_APPLY);
            });
            values.add(new Value(output.name(), value, sensitive));
        }
        return values;
    }
}
