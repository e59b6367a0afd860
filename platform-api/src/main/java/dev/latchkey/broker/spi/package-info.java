/**
 * What a provider package implements and uses: its adapter ({@code ProviderAdapter}, and where the
 * provider has them {@code RealtimeCallAdapter} and {@code Rooms}) and the upstream client with its
 * timeouts, retries and circuit breakers. Internal to {@code broker}: no other module sees it.
 */
package dev.latchkey.broker.spi;
