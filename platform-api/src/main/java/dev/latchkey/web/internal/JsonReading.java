package dev.latchkey.web.internal;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * A JSON boolean is {@code true} or {@code false}. Jackson would also take {@code "true"},
 * {@code 1} or {@code ""} for one (and {@code 0} as false): in a grant or a switch such a value is
 * a client's bug, which a 400 naming the field shows, instead of a guess.
 */
@Configuration(proxyBeanMethods = false)
public class JsonReading {

    @Bean
    JsonMapperBuilderCustomizer strictBooleans() {
        return JsonReading::strictBooleans;
    }

    /** Public for the unit tests that read requests the way the application does. */
    public static void strictBooleans(JsonMapper.Builder builder) {
        builder.withCoercionConfig(LogicalType.Boolean, booleans -> booleans
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }
}
