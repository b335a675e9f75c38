package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.config.internal.Constructors;
import dev.skiff.http.client.internal.OutboundSettings;
import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.MetricsSettings;
import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.logging.internal.LogSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings records every start binds are made through constructors the AOT cache links. */
class SettingsConstructorsTest {

    @Test
    void everyRecordTheStartBindsHasItsConstructorRegistered() throws ClassNotFoundException {
        Class.forName(Startup.class.getName(), true, Startup.class.getClassLoader());
        List<Class<?>> bound = new ArrayList<>(List.of(LogSettings.class, HealthSettings.class, MetricsSettings.class,
                OutboundSettings.class));
        for (Class<?> nested : CoreSettings.class.getDeclaredClasses()) {
            if (nested.isRecord()) {
                bound.add(nested); // a block of CoreSettings added later is bound at every start too
            }
        }
        assertThat(bound).hasSizeGreaterThan(8)
                .allSatisfy(type -> assertThat(Constructors.registered(type)).as(type.getName()).isNotNull());
    }
}
