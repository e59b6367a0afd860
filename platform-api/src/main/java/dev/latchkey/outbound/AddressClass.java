package dev.latchkey.outbound;

/**
 * What kind of network an IP address belongs to, as far as Latchkey's outbound calls care. Only
 * {@link #PUBLIC} addresses are called by default; an operator may also allow the private
 * networks ({@link #privateNetwork()}) for webhooks; everything else is never called.
 */
public enum AddressClass {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    PRIVATE("private"),
    SHARED("shared (carrier-grade NAT)"),
    LINK_LOCAL("link-local"),
    UNSPECIFIED("unspecified"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    DOCUMENTATION("documentation"),
    RESERVED("reserved");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** Loopback, RFC 1918 / unique-local and carrier-grade NAT: what an operator may allow for webhooks. */
    public boolean privateNetwork() {
        return this == LOOPBACK || this == PRIVATE || this == SHARED;
    }

    public String description() {
        return description;
    }

    /** 0 public, 1 a private network, 2 never called: the larger of two is the stricter. */
    int strictness() {
        return this == PUBLIC ? 0 : privateNetwork() ? 1 : 2;
    }

    static AddressClass stricter(AddressClass a, AddressClass b) {
        return b.strictness() > a.strictness() ? b : a;
    }
}
