package dev.jobflow.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JobTypeSpecTest {
    private static final JobTypeSpec DEMO = new JobTypeSpec("demo", List.of(
            ParamSpec.number("duration").min(0).max(86400), ParamSpec.number("step").min(0.1).max(3600),
            ParamSpec.integer("count").min(1).mandatory(), ParamSpec.string("label").max(3), ParamSpec.bool("dry")));

    @Test
    void validParamsHaveNoViolations() {
        assertThat(DEMO.violations(Map.of("duration", 2.5, "step", 1, "count", 3, "label", "abc", "dry", true)))
                .isEmpty();
        assertThat(DEMO.violations(Map.of("count", new BigDecimal("4.00")))).isEmpty();
    }

    @Test
    void everyBadParamIsNamedWithWhatIsWrong() {
        assertThat(DEMO.violations(Map.of("duration", -5, "step", "abc", "label", "abcd", "dry", "yes", "durration", 1)))
                .containsExactly(
                        Map.of("field", "params.duration", "message", "must be between 0 and 86400"),
                        Map.of("field", "params.step", "message", "must be a number"),
                        Map.of("field", "params.count", "message", "is required by job type 'demo'"),
                        Map.of("field", "params.label", "message", "must have at most 3 characters"),
                        Map.of("field", "params.dry", "message", "must be true or false"),
                        Map.of("field", "params.durration", "message",
                                "is not a parameter of job type 'demo' (its parameters: duration, step, count, label, dry)"));
        assertThat(DEMO.violations(Map.of("count", 1.5))).extracting(e -> e.get("message"))
                .containsExactly("must be a whole number");
        assertThat(DEMO.violations(Map.of("count", 0))).extracting(e -> e.get("message"))
                .containsExactly("must be at least 1");
    }

    @Test
    void anUndeclaredTypeTakesAnything() {
        assertThat(JobTypeSpec.undeclared("noop").violations(Map.of("anything", List.of(1)))).isEmpty();
        assertThat(new JobTypeSpec("none", List.of()).violations(Map.of("x", 1))).hasSize(1);
    }

    @Test
    void theOneLineFormOfConfiguration() {
        assertThat(ParamDeclarations.parseList("duration:number:0..86400, label:string:..200:required,dry:boolean"))
                .containsExactly(new ParamSpec("duration", ParamSpec.Kind.NUMBER, new BigDecimal("0"),
                        new BigDecimal("86400"), false, null),
                        new ParamSpec("label", ParamSpec.Kind.STRING, null, new BigDecimal("200"), true, null),
                        ParamSpec.bool("dry"));
        assertThatThrownBy(() -> ParamSpec.parse("x:float")).hasMessageContaining("kind 'float'");
        assertThatThrownBy(() -> ParamSpec.parse("x:number:5..1")).hasMessageContaining("above max");
        assertThatThrownBy(() -> ParamSpec.parse("1x:number")).hasMessageContaining("parameter name");
    }

    @Test
    void declarationsRoundTripAsJson() {
        assertThat(ParamDeclarations.read(ParamDeclarations.write(DEMO.params()))).isEqualTo(DEMO.params());
        assertThat(ParamDeclarations.write(DEMO.params())).contains("\"kind\":\"integer\"");
        assertThat(ParamDeclarations.read(ParamDeclarations.write(null))).isNull();
    }
}
