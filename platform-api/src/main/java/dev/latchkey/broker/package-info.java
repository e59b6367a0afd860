/**
 * Brokering: {@code POST /v1/tokens}, rooms, session policies and the realtime calls other modules
 * place ({@code RealtimeCalls}). The public types of this package are the module's API; the
 * provider SPI ({@code spi}: {@code ProviderAdapter}, {@code RealtimeCallAdapter}, {@code Rooms},
 * the upstream client) and the provider packages ({@code openai}, {@code azure}, {@code luna},
 * {@code livekit}, {@code daily}) are internal to it.
 */
@ApplicationModule(displayName = "Broker")
package dev.latchkey.broker;

import org.springframework.modulith.ApplicationModule;
