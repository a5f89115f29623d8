package org.synthloom.store.wds;

import java.util.Locale;

/**
 * How a tar member's name splits into a sample key and an extension, as in the Python
 * {@code webdataset} library: the key is the path up to the first dot of the file name, the
 * extension is the rest ({@code a/b/x001.emb.npy} is key {@code a/b/x001}, extension
 * {@code emb.npy}).
 */
public final class WdsKeys {

    private WdsKeys() {}

    /**
     * @param memberName a tar member's name
     * @return {key, extension in lower case}, or null if the name has no extension
     */
    public static String[] split(String memberName) {
        int slash = memberName.lastIndexOf('/');
        int dot = memberName.indexOf('.', slash + 1);
        if (dot <= slash + 1 || dot == memberName.length() - 1) {
            return null;
        }
        return new String[] {memberName.substring(0, dot), memberName.substring(dot + 1).toLowerCase(Locale.ROOT)};
    }

    /**
     * Says why a member name must not be used, or returns null if it is safe. Names are never used
     * as file system paths here, but a name that climbs out of its archive marks a hostile or
     * broken shard.
     *
     * @param memberName a tar member's name
     * @return the reason, or null
     */
    public static String unsafe(String memberName) {
        if (memberName.startsWith("/") || memberName.startsWith("\\")) {
            return "the entry name is an absolute path";
        }
        for (String part : memberName.replace('\\', '/').split("/")) {
            if (part.equals("..")) {
                return "the entry name climbs out of the shard ('..')";
            }
        }
        if (memberName.indexOf('\0') >= 0) {
            return "the entry name contains a NUL character";
        }
        return null;
    }

    /**
     * Turns a key into a sample id: path separators and other characters ids do not allow become
     * {@code _}.
     *
     * @param key a WebDataset key
     * @return a valid sample id
     */
    public static String sampleId(String key) {
        StringBuilder id = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-' || c == '.';
            id.append(allowed ? c : '_');
        }
        while (id.length() > 0 && id.charAt(0) == '.') {
            id.setCharAt(0, '_');
        }
        return id.length() == 0 ? "_" : id.toString();
    }
}
