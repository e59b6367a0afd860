package dev.latchkey;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTest {

    @Test
    void givenThePackageByFeatureLayout_whenVerified_thenNoCapabilityReachesIntoAnotherOrFormsACycle() {
        ApplicationModules.of(LatchkeyApplication.class).verify();
    }
}
