package dev.latchkey.support;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

import dev.latchkey.outbound.HostResolver;

/**
 * TEST SUPPORT ONLY (component scanning finds it in the tests' application contexts, never in
 * the application): name resolution the tests control, as a DNS server of the attacker's would
 * answer. Names a test registered resolve to the addresses it gave, IPv6 forms kept as IPv6
 * (the JDK would turn {@code ::ffff:a.b.c.d} text into an IPv4 address; a DNS answer does not);
 * every other name goes to the system resolver. One zone for the JVM, so that a
 * {@link SecondInstance} sees the same answers.
 */
@Component
@Primary
public class TestDns implements HostResolver {

    private static final Map<String, InetAddress[]> ZONE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    /** From now on {@code name} resolves to {@code addresses} (IP literals). */
    public static void answer(String name, String... addresses) {
        InetAddress[] answer = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            answer[i] = address(name, addresses[i]);
        }
        ZONE.put(name, answer);
    }

    public static void forget(String name) {
        ZONE.remove(name);
    }

    /** How often Latchkey asked for {@code name}. */
    public static int lookups(String name) {
        AtomicInteger count = LOOKUPS.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] answer = ZONE.get(host);
        if (answer == null) {
            return InetAddress.getAllByName(host);
        }
        LOOKUPS.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        return answer.clone();
    }

    /** An address record as a resolver returns it: AAAA answers stay IPv6, whatever they carry. */
    static InetAddress address(String name, String literal) {
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (literal.contains(":") && parsed instanceof Inet4Address v4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(name, mapped, -1);
            }
            return InetAddress.getByAddress(name, parsed.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
    }
}
