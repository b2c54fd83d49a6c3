package dev.flyform.engine.provider;

import java.util.List;

/**
 * A shorter way to declare an object of another type inside a block of its parent: an app's
 * {@code ip 'v6'} declares a {@code fly_ip} of that app, its {@code parentAttribute} referring to
 * the app, the given values set positionally, its label made from the parent's and those values.
 * Any other settable attribute of the target type may be given as a named option, and
 * {@code label} names it differently.
 *
 * @param name            what the parent's block calls it ({@code ip})
 * @param type            the type it declares ({@code fly_ip})
 * @param parentAttribute the target's attribute that refers to the parent ({@code app})
 * @param positional      the target's attributes given in order, without names ({@code type})
 * @param labelFrom       how many of them, from the first, make the label: {@code <parent>_<value>_...},
 *                        each value with {@code *} spelt {@code wildcard} and any other character
 *                        not allowed in a label spelt {@code _}
 */
public record Shortcut(String name, String type, String parentAttribute, List<String> positional, int labelFrom) {

    public Shortcut {
        positional = List.copyOf(positional);
        if (labelFrom < 1 || labelFrom > positional.size()) {
            throw new IllegalArgumentException(name + ": the label is made from 1 to " + positional.size() + " values");
        }
    }

    /** The label a shortcut called with these values gives, in a parent labelled {@code parent}. */
    public String label(String parent, List<?> values) {
        StringBuilder label = new StringBuilder(parent);
        for (int i = 0; i < labelFrom; i++) {
            label.append('_').append(String.valueOf(values.get(i)).replace("*", "wildcard").replaceAll("[^A-Za-z0-9_]", "_"));
        }
        return label.toString();
    }
}
