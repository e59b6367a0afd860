package dev.latchkey.apikeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * At start-up, before the web server takes requests: keys made before they were capped at
 * their creator's role (or whose creator's role changed while no instance ran this code) are
 * brought into line ({@link ApiKeyService#capKeysBeyondTheirCreatorsRole}).
 */
@Component
class KeyCreatorReconciliation implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(KeyCreatorReconciliation.class);

    private final ApiKeyService apiKeys;

    KeyCreatorReconciliation(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public void afterSingletonsInstantiated() {
        int capped = apiKeys.capKeysBeyondTheirCreatorsRole();
        if (capped > 0) {
            log.warn("{} API keys held more than their creator's role allows (or had no creator); their scopes were"
                    + " reduced or they were revoked, each recorded in the audit log", capped);
        }
    }
}
