package dev.latchkey.outbound;

import java.net.InetAddress;

/**
 * Classifies an address by its bytes, never by {@code InetAddress} predicates (which miss
 * IPv4 addresses carried inside IPv6 ones). IPv6 forms that carry an IPv4 address are judged by
 * that address: IPv4-mapped ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}), NAT64
 * ({@code 64:ff9b::/96}, and the local-use {@code 64:ff9b:1::/48} at each RFC 6052 position it is
 * well formed for),
 * 6to4 ({@code 2002::/16}) and Teredo ({@code 2001::/32}, server and client). Otherwise only
 * global unicast ({@code 2000::/3}) outside the special-purpose blocks is public.
 */
final class AddressClassifier {

    private AddressClassifier() {
    }

    static AddressClass classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ipv4(bytes, 0) : ipv6(bytes);
    }

    /** The IPv4 address in {@code bytes[offset..offset+3]}. */
    static AddressClass ipv4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xff;
        int b = bytes[offset + 1] & 0xff;
        int c = bytes[offset + 2] & 0xff;
        int d = bytes[offset + 3] & 0xff;
        if (a == 0) {
            return (b | c | d) == 0 ? AddressClass.UNSPECIFIED : AddressClass.RESERVED; // 0.0.0.0/8, "this network"
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return AddressClass.PRIVATE;
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return AddressClass.SHARED; // 100.64.0.0/10
        }
        if (a == 127) {
            return AddressClass.LOOPBACK;
        }
        if (a == 169 && b == 254) {
            return AddressClass.LINK_LOCAL; // cloud metadata services live here
        }
        if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
            return AddressClass.DOCUMENTATION;
        }
        if ((a == 192 && b == 0 && c == 0) // IETF protocol assignments
                || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
                || (a == 198 && (b & 0xfe) == 18)) { // benchmarking, 198.18.0.0/15
            return AddressClass.RESERVED;
        }
        if (a >= 224 && a <= 239) {
            return AddressClass.MULTICAST;
        }
        if ((a & b & c & d) == 0xff) {
            return AddressClass.BROADCAST;
        }
        if (a >= 240) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass ipv6(byte[] bytes) {
        if (zero(bytes, 0, 12)) {
            if (zero(bytes, 12, 15)) {
                return (bytes[15] & 0xff) == 0 ? AddressClass.UNSPECIFIED
                        : (bytes[15] & 0xff) == 1 ? AddressClass.LOOPBACK : ipv4(bytes, 12);
            }
            return ipv4(bytes, 12); // IPv4-compatible, ::a.b.c.d
        }
        if (zero(bytes, 0, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
            return ipv4(bytes, 12); // IPv4-mapped, ::ffff:a.b.c.d
        }
        int first = word(bytes, 0);
        int second = word(bytes, 2);
        if (first == 0x0064 && second == 0xff9b) {
            if (zero(bytes, 4, 12)) {
                return ipv4(bytes, 12); // NAT64 well-known prefix, 64:ff9b::/96
            }
            if (word(bytes, 4) == 0x0001) {
                return localUseNat64(bytes); // 64:ff9b:1::/48
            }
            return AddressClass.RESERVED;
        }
        if (first == 0x2002) {
            return ipv4(bytes, 2); // 6to4
        }
        if (first == 0x2001 && second == 0x0000) {
            // Teredo: the server's address, and the client's with every bit inverted.
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~bytes[12 + i];
            }
            return AddressClass.stricter(ipv4(bytes, 4), ipv4(client, 0));
        }
        if (first == 0x2001 && second == 0x0db8) {
            return AddressClass.DOCUMENTATION; // 2001:db8::/32
        }
        if (first == 0x3fff && (second & 0xf000) == 0) {
            return AddressClass.DOCUMENTATION; // 3fff::/20
        }
        if (first == 0x2001 && second < 0x0200) {
            return AddressClass.RESERVED; // the rest of 2001::/23, IETF protocol assignments
        }
        int top = bytes[0] & 0xff;
        if ((top & 0xfe) == 0xfc) {
            return AddressClass.PRIVATE; // fc00::/7, unique local
        }
        if (top == 0xfe && (bytes[1] & 0xc0) == 0x80) {
            return AddressClass.LINK_LOCAL; // fe80::/10
        }
        if (top == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
            return AddressClass.PRIVATE; // fec0::/10, the retired site-local block
        }
        if (top == 0xff) {
            return AddressClass.MULTICAST;
        }
        if ((top & 0xe0) == 0x20) {
            return AddressClass.PUBLIC; // 2000::/3, global unicast
        }
        return AddressClass.RESERVED;
    }

    /**
     * 64:ff9b:1::/48 is for local use (RFC 8215): never public. Inside it a network may embed
     * the IPv4 address at any RFC 6052 prefix length (/48, /56, /64 or /96); every reading the
     * address is well formed for (the "u" octet and the suffix after the IPv4 address zero) is
     * judged, and the strictest wins.
     */
    private static AddressClass localUseNat64(byte[] bytes) {
        int[][] positions = {
            {6, 7, 9, 10}, // /48
            {7, 9, 10, 11}, // /56
            {9, 10, 11, 12}, // /64
            {12, 13, 14, 15}, // /96
        };
        AddressClass strictest = AddressClass.PRIVATE;
        boolean embedsAny = false;
        for (int[] position : positions) {
            int last = position[3];
            if (last < 15 && (bytes[8] != 0 || !zero(bytes, last + 1, 16))) {
                continue; // not well formed for this prefix length
            }
            byte[] embedded = new byte[4];
            for (int i = 0; i < 4; i++) {
                embedded[i] = bytes[position[i]];
            }
            if (!zero(embedded, 0, 4)) { // the zero suffix of a shorter form, read as /96
                embedsAny = true;
                strictest = AddressClass.stricter(strictest, ipv4(embedded, 0));
            }
        }
        return embedsAny ? strictest : AddressClass.UNSPECIFIED;
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
    }
}
