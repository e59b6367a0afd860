package dev.latchkey.web.internal;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.DependencyOutage;
import dev.latchkey.web.Problems;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** The one place where exceptions become RFC 9457 problem responses. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(LatchkeyException.class)
    ResponseEntity<ProblemDetail> latchkey(LatchkeyException exception, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        exception.headers().forEach(headers::set);
        return respond(exception.problemType(), exception.getMessage(), exception.fieldProblems(), headers, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException exception,
            HttpServletRequest request) {
        List<FieldProblem> problems = exception.getConstraintViolations().stream()
                .map(v -> new FieldProblem(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        return respond(ProblemType.VALIDATION, summary(problems), problems, new HttpHeaders(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException exception,
            HttpServletRequest request) {
        // An id that is not a UUID cannot name anything: the resource does not exist.
        if (exception.getRequiredType() == java.util.UUID.class) {
            return respond(ProblemType.NOT_FOUND, "No resource at " + request.getRequestURI(), List.of(),
                    new HttpHeaders(), request);
        }
        FieldProblem problem = new FieldProblem(exception.getName(), "has an invalid value");
        return respond(ProblemType.VALIDATION, summary(List.of(problem)), List.of(problem), new HttpHeaders(),
                request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException exception, HttpServletRequest request) {
        // Constraint names only, never values: a value may be something the caller must not see.
        log.info("Request refused by a database constraint: {}",
                NestedExceptionUtils.getMostSpecificCause(exception).getClass().getSimpleName());
        return respond(ProblemType.CONFLICT, "The request conflicts with the current state of the resource",
                List.of(), new HttpHeaders(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception exception, HttpServletRequest request) {
        java.util.Optional<LatchkeyException> outage = DependencyOutage.of(exception);
        if (outage.isPresent()) {
            log.warn("{} {} answered 503: the database is unavailable ({})", request.getMethod(),
                    request.getRequestURI(), NestedExceptionUtils.getMostSpecificCause(exception).getClass().getSimpleName());
            return latchkey(outage.get(), request);
        }
        log.error("Unexpected error serving {} {}", request.getMethod(), request.getRequestURI(), exception);
        return respond(ProblemType.INTERNAL, "An unexpected error occurred; quote the request id when reporting it",
                List.of(), new HttpHeaders(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = fieldProblems(exception.getBindingResult());
        return cast(respond(ProblemType.VALIDATION, summary(problems), problems, headers, servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        exception.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                problems.add(new FieldProblem(Problems.jsonName(result.getMethodParameter().getParameterName()),
                        error.getDefaultMessage()))));
        return cast(respond(ProblemType.VALIDATION, summary(problems), problems, headers, servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleMissingPathVariable(MissingPathVariableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A blank id (/members/%20) converts to nothing: like any id that is not a UUID, it names no resource.
        if (exception.isMissingAfterConversion()) {
            return cast(respond(ProblemType.NOT_FOUND, "No resource at " + servlet(request).getRequestURI(), List.of(),
                    headers, servlet(request)));
        }
        return super.handleMissingPathVariable(exception, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = exception.getCause();
        if (hasCause(exception, RequestBodyLimitFilter.BodyTooLargeException.class)) {
            return cast(respond(ProblemType.PAYLOAD_TOO_LARGE,
                    NestedExceptionUtils.getMostSpecificCause(exception).getMessage(), List.of(), headers,
                    servlet(request)));
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = Problems.jsonPath(unknown);
            FieldProblem problem = new FieldProblem(field, "is not a known field");
            return cast(respond(ProblemType.VALIDATION, summary(List.of(problem)), List.of(problem), headers,
                    servlet(request)));
        }
        if (cause instanceof JacksonException json && !json.getPath().isEmpty() && !isSyntaxError(json)) {
            FieldProblem problem = new FieldProblem(Problems.jsonPath(json), "has the wrong type or format");
            return cast(respond(ProblemType.VALIDATION, summary(List.of(problem)), List.of(problem), headers,
                    servlet(request)));
        }
        String detail = exception.getMessage() != null && exception.getMessage().startsWith("Required request body")
                ? "A JSON request body is required" : "The request body is not valid JSON";
        return cast(respond(ProblemType.MALFORMED_BODY, detail, List.of(), headers, servlet(request)));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemType type;
        String detail;
        if (exception instanceof HttpMediaTypeNotSupportedException e) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
            detail = "Content type " + e.getContentType() + " is not supported here; send "
                    + e.getSupportedMediaTypes();
        } else if (exception instanceof HttpMediaTypeNotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
            detail = "None of the accepted media types can be produced here";
        } else if (exception instanceof HttpRequestMethodNotSupportedException e) {
            type = ProblemType.METHOD_NOT_ALLOWED;
            detail = "Method " + e.getMethod() + " is not allowed here";
        } else if (exception instanceof NoResourceFoundException e) {
            type = ProblemType.NOT_FOUND;
            detail = "No resource at /" + e.getResourcePath();
        } else if (exception instanceof MissingServletRequestParameterException e) {
            type = ProblemType.VALIDATION;
            detail = e.getParameterName() + ": is required";
        } else if (exception instanceof MissingRequestHeaderException e) {
            type = ProblemType.VALIDATION;
            detail = "Header " + e.getHeaderName() + " is required";
        } else {
            type = statusCode.is4xxClientError()
                    ? new ProblemType("/problems/http-" + statusCode.value(), statusCode.value(), "Bad request")
                    : ProblemType.INTERNAL;
            detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                    ? problem.getDetail() : type.title();
        }
        if (type == ProblemType.INTERNAL) {
            log.error("Unexpected error", exception);
        }
        return cast(respond(type, detail, List.of(), headers, servlet(request)));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemType type, String detail,
            List<FieldProblem> fieldProblems, HttpHeaders headers, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(type, detail, fieldProblems, request);
        return ResponseEntity.status(type.status()).headers(headers).body(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }

    private static HttpServletRequest servlet(WebRequest request) {
        return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    }

    private static List<FieldProblem> fieldProblems(BindingResult result) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : result.getFieldErrors()) {
            problems.add(new FieldProblem(Problems.jsonName(error.getField()), error.getDefaultMessage()));
        }
        result.getGlobalErrors().forEach(error -> problems.add(new FieldProblem(error.getObjectName(),
                error.getDefaultMessage())));
        return problems;
    }

    private static String summary(List<FieldProblem> problems) {
        return String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList());
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return Problems.jsonName(dot < 0 ? propertyPath : propertyPath.substring(dot + 1));
    }

    /** Broken JSON, as opposed to a value of the wrong type: where it breaks does not make it a field's problem. */
    private static boolean isSyntaxError(JacksonException exception) {
        return exception instanceof StreamReadException && !(exception instanceof InputCoercionException);
    }

    private static boolean hasCause(Throwable throwable, Class<? extends Throwable> type) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
