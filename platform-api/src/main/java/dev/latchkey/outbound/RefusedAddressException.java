package dev.latchkey.outbound;

import java.net.UnknownHostException;

/**
 * A host that is, or resolves to, an address Latchkey does not call. It is an
 * {@link UnknownHostException} so that it passes through an HTTP client's name resolution
 * unchanged: to the client the host has no address it may use.
 */
public class RefusedAddressException extends UnknownHostException {

    private final AddressClass addressClass;

    RefusedAddressException(AddressClass addressClass) {
        super("the host is or resolves to a " + addressClass.description() + " address");
        this.addressClass = addressClass;
    }

    public AddressClass addressClass() {
        return addressClass;
    }

    /** No stack trace: this is an answer, not a failure. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
