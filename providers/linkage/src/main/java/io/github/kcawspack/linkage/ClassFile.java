package io.github.kcawspack.linkage;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one compiled class refers to, read from its constant pool (JVMS 4.4): the classes it
 * names and the fields and methods of other classes it uses, plus the types in its own fields'
 * and methods' descriptors. Enough to know what must exist in the server for the class to link;
 * nothing here loads a class.
 */
final class ClassFile {

    /** A field or method of {@code owner} (internal name) used by this class. */
    record MemberRef(Kind kind, String owner, String name, String descriptor) {
        enum Kind { FIELD, METHOD, INTERFACE_METHOD }
    }

    private final String name;
    private final Set<String> classes;
    private final List<MemberRef> members;

    private ClassFile(String name, Set<String> classes, List<MemberRef> members) {
        this.name = name;
        this.classes = classes;
        this.members = members;
    }

    /** Internal name, e.g. {@code io/github/kcawspack/x/Y}. */
    String name() {
        return name;
    }

    /** Internal names of the classes referred to (array types reduced to their element class). */
    Set<String> classes() {
        return classes;
    }

    List<MemberRef> members() {
        return members;
    }

    static ClassFile parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two entries
                }
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        String thisName = utf8[first[in.readUnsignedShort()]];

        Set<String> classes = new LinkedHashSet<>();
        List<MemberRef> members = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            switch (tags[i]) {
                case 7 -> addClass(classes, utf8[first[i]]);
                case 9, 10, 11 -> {
                    String owner = utf8[first[first[i]]];
                    int nameAndType = second[i];
                    String memberName = utf8[first[nameAndType]];
                    String descriptor = utf8[second[nameAndType]];
                    MemberRef.Kind kind = tags[i] == 9 ? MemberRef.Kind.FIELD
                            : tags[i] == 10 ? MemberRef.Kind.METHOD : MemberRef.Kind.INTERFACE_METHOD;
                    if (!owner.startsWith("[")) {
                        members.add(new MemberRef(kind, owner, memberName, descriptor));
                    }
                    addDescriptorTypes(classes, descriptor);
                }
                default -> {
                    // other constants name no class or member
                }
            }
        }
        // Types in this class's own field and method signatures must exist too.
        in.readUnsignedShort(); // super class, already a Class constant
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }
        for (int group = 0; group < 2; group++) { // fields, then methods
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                in.readUnsignedShort(); // access flags
                in.readUnsignedShort(); // name
                addDescriptorTypes(classes, utf8[in.readUnsignedShort()]);
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    in.readUnsignedShort();
                    in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
                }
            }
        }
        classes.remove(thisName);
        return new ClassFile(thisName, classes, members);
    }

    private static void addClass(Set<String> classes, String internalName) {
        if (internalName.startsWith("[")) {
            addDescriptorTypes(classes, internalName);
        } else {
            classes.add(internalName);
        }
    }

    /** Adds every {@code Lname;} of a field or method descriptor. */
    static void addDescriptorTypes(Set<String> classes, String descriptor) {
        int i = 0;
        while (i < descriptor.length()) {
            if (descriptor.charAt(i) == 'L') {
                int end = descriptor.indexOf(';', i);
                classes.add(descriptor.substring(i + 1, end));
                i = end + 1;
            } else {
                i++;
            }
        }
    }
}
