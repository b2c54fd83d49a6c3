package dev.flyform.cli;

import dev.flyform.engine.addr.ResourceAddress;
import dev.flyform.engine.config.Outputs;
import dev.flyform.engine.config.Unknown;
import dev.flyform.engine.config.Values;
import dev.flyform.engine.plan.Action;
import dev.flyform.engine.plan.AttributeChange;
import dev.flyform.engine.plan.Plan;
import dev.flyform.engine.plan.ResourceChange;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a plan the way Terraform users read one. */
final class PlanRenderer {

    private final Style style;

    /** Which types hold data that destroying their objects loses (volumes): the summary says so. */
    private final java.util.function.Predicate<String> holdsData;

    PlanRenderer(Style style) {
        this(style, type -> false);
    }

    PlanRenderer(Style style, java.util.function.Predicate<String> holdsData) {
        this.style = style;
        this.holdsData = holdsData;
    }

    /** The types of {@code schema} whose objects hold data. */
    static java.util.function.Predicate<String> holdingData(dev.flyform.engine.provider.ProviderSchema schema) {
        return type -> schema.resourceType(type).map(dev.flyform.engine.provider.ResourceSchema::holdsData).orElse(false);
    }

    /** What the plan destroys or replaces that holds data (a volume, or one an app's deletion takes with it). */
    static List<ResourceChange> dataLoss(Plan plan, java.util.function.Predicate<String> holdsData) {
        return plan.changes().stream().filter(c -> (c.action() == Action.DELETE || c.action() == Action.REPLACE)
                && holdsData.test(c.address().type())).toList();
    }

    String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        for (ResourceAddress gone : plan.forgotten()) {
            String removedAt = plan.removedAt().get(gone);
            if (removedAt != null) {
                out.append("  # ").append(gone).append(" will be forgotten (removed at ").append(removedAt)
                        .append("): apply drops it from the state; it stays on Fly as it is, no longer managed.\n\n");
            } else {
                out.append("Note: ").append(gone).append(" was deleted outside flyform and is no longer declared; ")
                        .append("apply drops it from the state.\n\n");
            }
        }
        List<ResourceChange> reads = plan.changes().stream().filter(c -> c.address().isData()).toList();
        if (!reads.isEmpty()) {
            out.append("Read from Fly (data sources, read-only):\n");
            reads.forEach(c -> out.append("  <= ").append(c.address()).append('\n'));
            out.append('\n');
        }
        if (!plan.refreshed().isEmpty()) {
            out.append("Note: recorded values are behind Fly's; apply records these, with no change to Fly:\n");
            plan.refreshed().forEach((address, moved) -> out.append("  ").append(address).append(": ")
                    .append(moved.stream().map(m -> m.name() + " = " + value(m.after(), m.sensitive())
                            + (m.sensitive() ? " (taken as what Fly holds)" : "")).collect(Collectors.joining(", ")))
                    .append('\n'));
            out.append('\n');
        }
        if (!plan.hasChanges()) {
            return out.append(style.green(style.bold("No changes."))).append(" Your infrastructure matches the configuration.\n")
                    .toString();
        }
        out.append("flyform will perform the following actions:\n");
        for (ResourceChange change : plan.changes()) {
            if (change.action().mutates()) {
                out.append('\n');
                renderChange(change, out);
            }
        }
        out.append('\n').append(summary(plan)).append('\n');
        return out.toString();
    }

    String summary(Plan plan) {
        long add = plan.count(Action.CREATE) + plan.count(Action.REPLACE);
        long change = plan.count(Action.UPDATE);
        long destroy = plan.count(Action.DELETE) + plan.count(Action.REPLACE);
        long adopt = plan.changes().stream().filter(ResourceChange::adopted).count();
        List<ResourceChange> lost = dataLoss(plan, holdsData);
        String loss = "";
        if (!lost.isEmpty()) {
            java.util.Map<String, Long> byType = new java.util.TreeMap<>();
            lost.forEach(c -> byType.merge(c.address().type(), 1L, Long::sum));
            loss = byType.entrySet().stream().map(e -> "\n" + style.red(style.bold("! " + e.getValue() + " " + noun(e.getKey(), e.getValue())
                            + " will be destroyed with " + (e.getValue() == 1 ? "its" : "their") + " data: "))
                            + lost.stream().filter(c -> c.address().type().equals(e.getKey())).map(c -> c.address().toString())
                                    .collect(Collectors.joining(", ")))
                    .collect(Collectors.joining());
        }
        return style.bold("Plan:") + " " + add + " to add, " + change + " to change, " + destroy + " to destroy"
                + (adopt > 0 ? ", " + adopt + " to adopt." : ".") + loss;
    }

    /** {@code fly_volume} → "volume", "volumes". */
    private static String noun(String type, long n) {
        String word = type.contains("_") ? type.substring(type.indexOf('_') + 1).replace('_', ' ') : type;
        return n == 1 ? word : word + "s";
    }

    private void renderChange(ResourceChange change, StringBuilder out) {
        Action action = change.action();
        String heading = "  # " + change.address() + " " + action.description();
        if (action == Action.REPLACE) {
            List<String> attributes = change.replaceReasons().stream().filter(r -> !r.startsWith("(")).toList();
            List<String> others = change.replaceReasons().stream().filter(r -> r.startsWith("(")).toList();
            if (!attributes.isEmpty()) {
                heading += " (" + attributes.stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "))
                        + (attributes.size() == 1 ? " forces" : " force") + " replacement)";
            }
            if (!others.isEmpty()) {
                heading += " " + String.join(" ", others);
            }
            if (change.createdFirst()) {
                heading += ", the new one made before the old one is destroyed";
            }
        }
        if (action == Action.DELETE && change.deletedWith() != null) {
            heading += " (with " + change.deletedWith() + ")";
        }
        if (action == Action.ADOPT) {
            heading += ": it exists on Fly already, so it is recorded and nothing is sent";
        } else if (change.adopted()) {
            heading += " (adopting the object that exists on Fly)";
        }
        out.append(style.bold(heading)).append('\n');
        out.append(colored(action, padLeft(action.symbol(), 3))).append(" resource \"").append(change.address().type())
                .append("\" \"").append(change.address().name()).append("\" {\n");

        List<AttributeChange> shown = change.attributes().stream()
                .filter(a -> action != Action.UPDATE || a.changed())
                .filter(a -> action != Action.ADOPT || a.name().equals("id") || a.name().equals("name")
                        || a.name().equals("address") || a.name().equals("hostname"))
                .toList();
        int width = shown.stream().mapToInt(a -> a.name().length()).max().orElse(0);
        for (AttributeChange a : shown) {
            out.append("      ").append(attributeLine(action, a, width)).append('\n');
        }
        long hidden = change.attributes().size() - shown.size();
        if (hidden > 0) {
            out.append("        # (").append(hidden).append(" unchanged attribute").append(hidden == 1 ? "" : "s")
                    .append(" hidden)\n");
        }
        out.append("    }\n");
    }

    private String attributeLine(Action action, AttributeChange a, int width) {
        String name = padRight(a.name(), width);
        return switch (action) {
            case CREATE -> colored(Action.CREATE, "+") + " " + name + " = " + value(a.after(), a.sensitive());
            case DELETE -> colored(Action.DELETE, "-") + " " + name + " = " + value(a.before(), a.sensitive()) + " -> null";
            case ADOPT -> "  " + name + " = " + value(a.before(), a.sensitive());
            default -> {
                if (!a.changed()) {
                    yield "  " + name + " = " + value(a.after(), a.sensitive());
                }
                String line = colored(Action.UPDATE, "~") + " " + name + " = " + value(a.before(), a.sensitive())
                        + " -> " + value(a.after(), a.sensitive());
                yield a.forcesReplacement() ? line + " " + style.red("# forces replacement") : line;
            }
        };
    }

    /**
     * Outputs whose value changes: {@code before} as the last apply recorded them, {@code after}
     * on the plan. Empty when nothing changes. A sensitive output recorded before has no value to
     * compare, so it is not listed.
     */
    String outputChanges(List<Outputs.Value> before, List<Outputs.Value> after) {
        StringBuilder out = new StringBuilder();
        Map<String, Outputs.Value> recorded = new java.util.HashMap<>();
        before.forEach(v -> recorded.put(v.name(), v));
        int width = java.util.stream.Stream.concat(before.stream(), after.stream()).mapToInt(v -> v.name().length()).max().orElse(0);
        for (Outputs.Value now : after) {
            Outputs.Value was = recorded.remove(now.name());
            if (was != null && was.sensitive() && now.sensitive()) {
                continue;
            }
            boolean existed = was != null && was.value() != null;
            if (existed && Values.same(was.value(), now.value())) {
                continue;
            }
            String name = padRight(now.name(), width);
            out.append(existed ? "  " + colored(Action.UPDATE, "~") + " " + name + " = " + value(was.value(), now.sensitive()) + " -> "
                            : "  " + colored(Action.CREATE, "+") + " " + name + " = ")
                    .append(value(now.value(), now.sensitive())).append('\n');
        }
        for (Outputs.Value gone : before) {
            if (recorded.containsKey(gone.name())) {
                out.append("  ").append(colored(Action.DELETE, "-")).append(' ').append(padRight(gone.name(), width)).append(" = ")
                        .append(gone.sensitive() ? "(sensitive value)" : value(gone.value(), false)).append(" -> null\n");
            }
        }
        return out.length() == 0 ? "" : "\nChanges to Outputs:\n" + out;
    }

    /** After apply: {@code name = value}, one a line. */
    String outputs(List<Outputs.Value> values) {
        if (values.isEmpty()) {
            return "";
        }
        return "\n" + style.green(style.bold("Outputs:")) + "\n\n" + outputLines(values);
    }

    /** {@code name = value}, one a line, as {@code flyform output} prints them. */
    String outputLines(List<Outputs.Value> values) {
        StringBuilder out = new StringBuilder();
        int width = values.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (Outputs.Value v : values) {
            out.append(padRight(v.name(), width)).append(" = ").append(v.sensitive() ? "(sensitive value)" : value(v.value(), false))
                    .append('\n');
        }
        return out.toString();
    }

    static String value(Object v, boolean sensitive) {
        if (sensitive && v != null) {
            return "(sensitive value)";
        }
        if (v == null) {
            return "null";
        }
        if (v instanceof Unknown) {
            return v.toString();
        }
        if (v instanceof CharSequence s) {
            return quote(s.toString());
        }
        if (v instanceof List<?> list) {
            return list.stream().map(x -> value(x, false)).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + " = " + value(e.getValue(), false))
                    .collect(Collectors.joining(", ", "{ ", " }"));
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private String colored(Action action, String text) {
        return switch (action) {
            case CREATE -> style.green(text);
            case UPDATE -> style.yellow(text);
            case DELETE, REPLACE -> style.red(text);
            case ADOPT -> style.bold(text);
            case NO_OP -> text;
        };
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
