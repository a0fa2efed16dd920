package io.github.trtcreactive.spring;

import io.github.trtcreactive.micrometer.TrtcMicrometer;
import io.github.trtcreactive.reactor.observe.CallObserver;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;

/** The application's observation registry, when there is one, as the client's observer. */
record TrtcObservation(ObjectProvider<ObservationRegistry> registry) {

    CallObserver observer() {
        ObservationRegistry r = registry.getIfAvailable();
        return r == null ? CallObserver.NONE : TrtcMicrometer.observer(r);
    }
}
