package dev.latchkey.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into addresses. {@link OutboundGuard} asks it once per connection and
 * connects to the very addresses it returned; a test replaces it to control what names resolve to.
 */
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;
}
