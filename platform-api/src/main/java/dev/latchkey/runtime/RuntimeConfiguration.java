package dev.latchkey.runtime;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class RuntimeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfiguration.class);

    RuntimeConfiguration(Environment environment) {
        if (RuntimeMode.of(environment) == RuntimeMode.EMBEDDED_DEFAULT) {
            log.warn("*** Latchkey runs in its EMBEDDED DEFAULT mode: generated secrets and whatever is not"
                    + " configured runs in-process. NOT FOR PRODUCTION (set LATCHKEY_MODE=production). ***");
        }
    }

    @Bean
    RuntimeMode runtimeMode(Environment environment) {
        return RuntimeMode.of(environment);
    }

    @Bean
    LatchkeyHome latchkeyHome(HomeProperties settings) {
        return new LatchkeyHome(settings.home().toAbsolutePath().normalize());
    }

    @Bean
    ApplicationRolePlaceholder applicationRolePlaceholder(Environment environment,
            ObjectProvider<DataSource> dataSource) {
        return new ApplicationRolePlaceholder(environment, dataSource);
    }

    /** After the migrations: the application's role must not be able to rewrite the ledger or the audit log. */
    @Bean
    @DependsOnDatabaseInitialization
    InitializingBean databaseRoleCheck(DataSource dataSource, RuntimeMode mode, Environment environment) {
        return () -> DatabaseRoleCheck.check(dataSource, mode == RuntimeMode.PRODUCTION,
                environment.getProperty(ProductionRequirements.ALLOW_SINGLE_ROLE, Boolean.class, false));
    }
}
