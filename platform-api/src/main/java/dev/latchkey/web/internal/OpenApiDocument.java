package dev.latchkey.web.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Makes {@code /v3/api-docs} describe the JSON the API really speaks, because the console's types
 * are generated from it. springdoc reads the records with a Jackson of its own, so it is told here
 * what the application's Jackson does: snake_case names, and every record component written (so
 * present in every response). Nested records such as {@code ApiKeysController.CreateRequest} are
 * named after their enclosing class, or schemas of the same simple name would overwrite each other.
 */
@Configuration
class OpenApiDocument {

    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapperProvider springdocMapper) {
        // springdoc's own converters introspect every type with this mapper before the resolver
        // below sees it, and fail on a Jackson 3 tree taken for a bean.
        opaqueTrees(springdocMapper.jsonMapper());
        return new ApplicationModelResolver().openapi31(true);
    }

    /** Jackson 3 trees have no bean properties as far as Jackson 2 is concerned. */
    private static ObjectMapper opaqueTrees(ObjectMapper mapper) {
        return mapper.addMixIn(tools.jackson.databind.JsonNode.class, OpaqueTree.class)
                .addMixIn(tools.jackson.databind.node.ObjectNode.class, OpaqueTree.class)
                .addMixIn(tools.jackson.databind.node.ArrayNode.class, OpaqueTree.class);
    }

    @JsonAutoDetect(getterVisibility = Visibility.NONE, isGetterVisibility = Visibility.NONE,
            setterVisibility = Visibility.NONE, fieldVisibility = Visibility.NONE, creatorVisibility = Visibility.NONE)
    private abstract static class OpaqueTree {
    }

    /**
     * The application's Jackson as springdoc's Jackson 2 should see it. The application's JSON
     * trees are Jackson 3 classes, which Jackson 2 would take for beans (and fail on): free-form
     * JSON is any JSON, and an {@code ObjectNode} any JSON object.
     */
    static final class ApplicationModelResolver extends ModelResolver {

        ApplicationModelResolver() {
            super(opaqueTrees(Json31.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)),
                    new EnclosingClassTypeNames());
        }

        @Override
        public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            Class<?> raw = _mapper.constructType(type.getType()).getRawClass();
            if (tools.jackson.databind.node.ObjectNode.class.isAssignableFrom(raw)) {
                return new JsonSchema().typesItem("object").additionalProperties(true);
            }
            if (tools.jackson.databind.JsonNode.class.isAssignableFrom(raw)) {
                return new JsonSchema();
            }
            return super.resolve(type, context, chain);
        }
    }

    /** Records are written whole (no inclusion filter): every property of a response schema is present, maybe null. */
    @Bean
    OpenApiCustomizer responsePropertiesArePresent() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents() == null ? null : openApi.getComponents().getSchemas();
            if (schemas == null) {
                return;
            }
            for (String name : responseSchemaNames(openApi, schemas)) {
                Schema<?> schema = schemas.get(name);
                if (schema.getProperties() != null && schema.getRequired() == null) {
                    schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
                }
            }
        };
    }

    /** The component schemas that some response refers to, directly or through other schemas. */
    private static Set<String> responseSchemaNames(OpenAPI openApi, Map<String, Schema> schemas) {
        Deque<Schema<?>> pending = new ArrayDeque<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().stream()
                    .map(Operation::getResponses).filter(java.util.Objects::nonNull)
                    .flatMap(responses -> responses.values().stream())
                    .map(io.swagger.v3.oas.models.responses.ApiResponse::getContent)
                    .filter(java.util.Objects::nonNull)
                    .flatMap(content -> content.values().stream())
                    .forEach(media -> {
                        if (media.getSchema() != null) {
                            pending.add(media.getSchema());
                        }
                    }));
        }
        Set<String> names = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema<?> schema = pending.pop();
            if (schema.get$ref() != null) {
                String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
                if (names.add(name) && schemas.containsKey(name)) {
                    pending.add(schemas.get(name));
                }
                continue;
            }
            forEachChild(schema, pending::add);
        }
        names.retainAll(schemas.keySet());
        return names;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void forEachChild(Schema<?> schema, Consumer<Schema<?>> action) {
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(child -> action.accept((Schema<?>) child));
        }
        if (schema.getItems() != null) {
            action.accept(schema.getItems());
        }
        if (schema.getAdditionalProperties() instanceof Schema additional) {
            action.accept(additional);
        }
        for (List<Schema> composed : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (composed != null) {
                composed.forEach(child -> action.accept((Schema<?>) child));
            }
        }
    }

    /** {@code ApiKeysController.CreateRequest} → {@code ApiKeysCreateRequest}; top-level classes keep their name. */
    static final class EnclosingClassTypeNames extends TypeNameResolver {

        @Override
        protected String getNameOfClass(Class<?> type) {
            Class<?> enclosing = type.getEnclosingClass();
            if (enclosing == null) {
                return super.getNameOfClass(type);
            }
            String outer = enclosing.getSimpleName();
            if (outer.endsWith("Controller")) {
                outer = outer.substring(0, outer.length() - "Controller".length());
            }
            return outer + type.getSimpleName();
        }
    }
}
