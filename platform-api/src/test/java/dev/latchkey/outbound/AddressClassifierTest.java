package dev.latchkey.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of address, table-driven, and property-style: IPv4 addresses drawn at random from
 * each special-purpose block (and from the public rest), carried in every IPv6 form that embeds
 * an IPv4 address, are judged by the IPv4 address. The seed is in each test's name;
 * {@code -Daddresses.seed=<seed>} replays a run.
 */
class AddressClassifierTest {

    private static final int SAMPLES = 300;

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
        0.0.0.0         | UNSPECIFIED
        0.1.2.3         | RESERVED
        10.0.0.5        | PRIVATE
        100.64.0.1      | SHARED
        100.127.255.254 | SHARED
        100.128.0.1     | PUBLIC
        127.0.0.1       | LOOPBACK
        127.255.0.9     | LOOPBACK
        169.254.169.254 | LINK_LOCAL
        172.16.0.1      | PRIVATE
        172.31.255.255  | PRIVATE
        172.32.0.1      | PUBLIC
        192.0.0.170     | RESERVED
        192.0.2.7       | DOCUMENTATION
        192.88.99.1     | RESERVED
        192.168.1.1     | PRIVATE
        198.18.0.1      | RESERVED
        198.19.255.1    | RESERVED
        198.51.100.4    | DOCUMENTATION
        203.0.113.9     | DOCUMENTATION
        224.0.0.251     | MULTICAST
        239.255.255.250 | MULTICAST
        240.0.0.1       | RESERVED
        255.255.255.255 | BROADCAST
        8.8.8.8         | PUBLIC
        93.184.215.14   | PUBLIC
        ::              | UNSPECIFIED
        ::1             | LOOPBACK
        ::ffff:7f00:1   | LOOPBACK
        ::ffff:a9fe:a9fe | LINK_LOCAL
        ::ffff:808:808  | PUBLIC
        ::a00:5         | PRIVATE
        ::808:808       | PUBLIC
        64:ff9b::7f00:1 | LOOPBACK
        64:ff9b::a9fe:a9fe | LINK_LOCAL
        64:ff9b::808:808 | PUBLIC
        64:ff9b:1::808:808 | PRIVATE
        64:ff9b:1::a9fe:a9fe | LINK_LOCAL
        64:ff9b:1:a9fe:a9:fe00:: | LINK_LOCAL
        64:ff9b:2::1    | RESERVED
        2002:7f00:1::1  | LOOPBACK
        2002:a9fe:a9fe::1 | LINK_LOCAL
        2002:808:808::1 | PUBLIC
        2001:0:4136:e378:8000:63bf:80ff:fffe | LOOPBACK
        2001:0:4136:e378:8000:63bf:f7f7:f7f7 | PUBLIC
        2001:0:7f00:1:8000:63bf:f7f7:f7f7 | LOOPBACK
        2001:db8::1     | DOCUMENTATION
        3fff::1         | DOCUMENTATION
        2001:2::1       | RESERVED
        2001:20::1      | RESERVED
        100::1          | RESERVED
        fc00::1         | PRIVATE
        fd12:3456::1    | PRIVATE
        fe80::1         | LINK_LOCAL
        febf::1         | LINK_LOCAL
        fec0::1         | PRIVATE
        ff02::1         | MULTICAST
        2606:4700:4700::1111 | PUBLIC
        2a00:1450:4001::200e | PUBLIC
        4000::1         | RESERVED
        """)
    void givenAnAddress_whenClassified_thenItsKindIsKnown(String literal, AddressClass expected) {
        assertThat(AddressClassifier.classify(v6OrV4(literal))).isEqualTo(expected);
    }

    /** A block of IPv4 addresses and what they are. */
    private record Block(String cidr, AddressClass addressClass) {

        byte[] sample(Random random) {
            String[] parts = cidr.split("/");
            int base = toInt(parts[0]);
            int prefix = Integer.parseInt(parts[1]);
            int hostBits = 32 - prefix;
            int host = hostBits == 0 ? 0 : random.nextInt() & (int) ((1L << hostBits) - 1);
            return toBytes(base | host);
        }
    }

    private static final List<Block> BLOCKS = List.of(
            new Block("0.0.0.0/8", AddressClass.RESERVED),
            new Block("10.0.0.0/8", AddressClass.PRIVATE),
            new Block("100.64.0.0/10", AddressClass.SHARED),
            new Block("127.0.0.0/8", AddressClass.LOOPBACK),
            new Block("169.254.0.0/16", AddressClass.LINK_LOCAL),
            new Block("172.16.0.0/12", AddressClass.PRIVATE),
            new Block("192.0.0.0/24", AddressClass.RESERVED),
            new Block("192.0.2.0/24", AddressClass.DOCUMENTATION),
            new Block("192.88.99.0/24", AddressClass.RESERVED),
            new Block("192.168.0.0/16", AddressClass.PRIVATE),
            new Block("198.18.0.0/15", AddressClass.RESERVED),
            new Block("198.51.100.0/24", AddressClass.DOCUMENTATION),
            new Block("203.0.113.0/24", AddressClass.DOCUMENTATION),
            new Block("224.0.0.0/4", AddressClass.MULTICAST),
            new Block("240.0.0.0/4", AddressClass.RESERVED));

    /** What an IPv4 address is by the blocks above (the specification this test holds the code to). */
    private static AddressClass expected(byte[] v4) {
        int address = toInt(v4);
        if (address == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (address == -1) {
            return AddressClass.BROADCAST;
        }
        for (Block block : BLOCKS) {
            String[] parts = block.cidr().split("/");
            int prefix = Integer.parseInt(parts[1]);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            if ((address & mask) == (toInt(parts[0]) & mask)) {
                return block.addressClass();
            }
        }
        return AddressClass.PUBLIC;
    }

    /** An IPv6 form carrying an IPv4 address. */
    private record Form(String name, Function<byte[], byte[]> embed) {
    }

    private static List<Form> forms(Random random) {
        return List.of(
                new Form("IPv4-mapped ::ffff:a.b.c.d", v4 -> v6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1}, v4, 12)),
                new Form("IPv4-compatible ::a.b.c.d", v4 -> v6(new byte[0], v4, 12)),
                new Form("NAT64 64:ff9b::a.b.c.d", v4 -> v6(new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, v4, 12)),
                new Form("6to4 2002:a.b.c.d::/48", v4 -> {
                    byte[] bytes = v6(new byte[] {0x20, 0x02}, v4, 2);
                    for (int i = 6; i < 16; i++) {
                        bytes[i] = (byte) random.nextInt(256);
                    }
                    return bytes;
                }),
                new Form("Teredo client", v4 -> teredo(new byte[] {8, 8, 4, 4}, v4, random)),
                new Form("Teredo server", v4 -> teredo(v4, new byte[] {1, 1, 1, 1}, random)));
    }

    @TestFactory
    Stream<DynamicTest> givenIpv4AddressesOfEveryKind_whenCarriedInEveryIpv6Form_thenJudgedByTheIpv4Address() {
        long seed = Long.getLong("addresses.seed", new Random().nextLong());
        Random random = new Random(seed);
        List<DynamicTest> tests = new ArrayList<>();
        for (Form form : forms(random)) {
            tests.add(DynamicTest.dynamicTest(form.name() + " (seed " + seed + ")", () -> {
                for (byte[] v4 : samples(random)) {
                    if (form.name().startsWith("IPv4-compatible") && toInt(v4) >= 0 && toInt(v4) <= 1) {
                        continue; // :: and ::1 are the unspecified and loopback addresses themselves
                    }
                    byte[] v6 = form.embed().apply(v4);
                    AddressClass embedded = expected(v4);
                    AddressClass expected = form.name().startsWith("Teredo")
                            ? AddressClass.stricter(embedded, AddressClass.PUBLIC) : embedded;
                    assertThat(AddressClassifier.classify(Inet6Address.getByAddress(null, v6, -1)))
                            .as("%s carrying %s", form.name(), InetAddress.getByAddress(v4).getHostAddress())
                            .isEqualTo(expected);
                    assertThat(AddressClassifier.classify(InetAddress.getByAddress(v4))).isEqualTo(embedded);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("local-use NAT64 64:ff9b:1::/48 (seed " + seed + ")", () -> {
            for (byte[] v4 : samples(random)) {
                byte[] v6 = v6(new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1}, v4, 12);
                AddressClass judged = AddressClassifier.classify(Inet6Address.getByAddress(null, v6, -1));
                assertThat(judged.strictness()).as("64:ff9b:1::%s", InetAddress.getByAddress(v4).getHostAddress())
                        .isGreaterThanOrEqualTo(Math.max(1, expected(v4).strictness()));
                if ((v4[1] | v4[2] | v4[3]) != 0) {
                    assertThat(judged).isEqualTo(AddressClass.stricter(AddressClass.PRIVATE, expected(v4)));
                }
                assertThat(OutboundGuard.Scope.PUBLIC_ONLY.allows(judged)).isFalse();
            }
        }));
        return tests.stream();
    }

    @ParameterizedTest(name = "{0}: public-only {1}, private allowed {2}")
    @CsvSource(delimiter = '|', textBlock = """
        PUBLIC        | true  | true
        LOOPBACK      | false | true
        PRIVATE       | false | true
        SHARED        | false | true
        LINK_LOCAL    | false | false
        UNSPECIFIED   | false | false
        MULTICAST     | false | false
        BROADCAST     | false | false
        DOCUMENTATION | false | false
        RESERVED      | false | false
        """)
    void givenAKindOfAddress_whenAScopeIsAsked_thenOnlyPublicOrAlsoPrivateNetworksAreAllowed(AddressClass kind,
            boolean publicOnly, boolean privateAllowed) {
        assertThat(OutboundGuard.Scope.PUBLIC_ONLY.allows(kind)).isEqualTo(publicOnly);
        assertThat(OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED.allows(kind)).isEqualTo(privateAllowed);
    }

    /** Random addresses from every block, the edges of each, and public ones. */
    private static List<byte[]> samples(Random random) {
        List<byte[]> samples = new ArrayList<>();
        for (Block block : BLOCKS) {
            String[] parts = block.cidr().split("/");
            int base = toInt(parts[0]);
            int size = 32 - Integer.parseInt(parts[1]);
            samples.add(toBytes(base));
            samples.add(toBytes(base | (int) ((1L << size) - 1)));
            for (int i = 0; i < SAMPLES / BLOCKS.size(); i++) {
                samples.add(block.sample(random));
            }
        }
        samples.add(toBytes(0));
        samples.add(toBytes(-1));
        for (int i = 0; i < SAMPLES; i++) {
            samples.add(toBytes(random.nextInt()));
        }
        return samples;
    }

    private static byte[] teredo(byte[] server, byte[] client, Random random) {
        byte[] bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        System.arraycopy(server, 0, bytes, 4, 4);
        bytes[8] = (byte) random.nextInt(256); // flags
        bytes[9] = (byte) random.nextInt(256);
        bytes[10] = (byte) random.nextInt(256); // obfuscated port
        bytes[11] = (byte) random.nextInt(256);
        for (int i = 0; i < 4; i++) {
            bytes[12 + i] = (byte) ~client[i];
        }
        return bytes;
    }

    private static byte[] v6(byte[] prefix, byte[] v4, int at) {
        byte[] bytes = new byte[16];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        System.arraycopy(v4, 0, bytes, at, 4);
        return bytes;
    }

    /** A literal as an address record would carry it: text with ':' stays IPv6. */
    static InetAddress v6OrV4(String literal) {
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (literal.contains(":") && parsed.getAddress().length == 4) {
                byte[] mapped = v6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1}, parsed.getAddress(), 12);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static int toInt(String dotted) {
        String[] octets = dotted.split("\\.");
        return toInt(new byte[] {(byte) Integer.parseInt(octets[0]), (byte) Integer.parseInt(octets[1]),
            (byte) Integer.parseInt(octets[2]), (byte) Integer.parseInt(octets[3])});
    }

    private static int toInt(byte[] v4) {
        return ((v4[0] & 0xff) << 24) | ((v4[1] & 0xff) << 16) | ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
    }

    private static byte[] toBytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }
}
