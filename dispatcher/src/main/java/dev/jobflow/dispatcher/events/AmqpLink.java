package dev.jobflow.dispatcher.events;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * The relay's AMQP 1.0 link to the broker (Vert.x AMQP client), owned by the relay so that it is
 * made again whenever it is missing: at the first pass, after the broker was away, after a send that
 * failed. SmallRye's AMQP connector, used before, fetches its sender once when the channel starts and
 * ends the channel for good if that first connection fails, so a dispatcher started while the broker
 * was down never relayed until restarted. Settings keep the connector's names: {@code amqp-host},
 * {@code amqp-port}, {@code amqp-username}, {@code amqp-password}, {@code amqp-use-ssl},
 * {@code amqp-virtual-host}; the target address is {@code jobflow.dispatcher.events.address}
 * ({@code JOBFLOW_EVENTS_ADDRESS}).
 * Credentials are never logged.
 */
public final class AmqpLink implements EventSink {
    private static final Logger LOG = Logger.getLogger(AmqpLink.class);

    private final Vertx vertx;
    private final AmqpClientOptions options;
    private final String address;
    private AmqpClient client;
    private AmqpSender sender;

    /** A link made from the settings in {@code config} ({@code amqp-host}, ...). */
    AmqpLink(Vertx vertx, Config config, DispatcherConfig.Events events) {
        this.vertx = vertx;
        this.address = events.address();
        Duration timeout = events.sendTimeout();
        String host = config.getOptionalValue("amqp-host", String.class).orElse("localhost");
        int port = config.getOptionalValue("amqp-port", Integer.class).orElse(5672);
        boolean ssl = config.getOptionalValue("amqp-use-ssl", Boolean.class).orElse(false);
        Optional<String> username = config.getOptionalValue("amqp-username", String.class);
        Optional<String> password = config.getOptionalValue("amqp-password", String.class);
        Optional<String> virtualHost = config.getOptionalValue("amqp-virtual-host", String.class);
        this.options = new AmqpClientOptions().setHost(host).setPort(port).setSsl(ssl)
                .setConnectTimeout((int) timeout.toMillis()).setReconnectAttempts(0);
        username.ifPresent(options::setUsername);
        password.ifPresent(options::setPassword);
        virtualHost.ifPresent(options::setVirtualHost);
    }

    /**
     * Sends one event and completes when the broker has taken it (its disposition), or fails (then
     * the link is dropped, and made again by the next send). Sends are one after another: the relay
     * waits for each before the next, so nothing overtakes.
     */
    @Override
    public synchronized Future<Void> send(JobEvent event) {
        AmqpMessage message = AmqpMessage.create().id(String.valueOf(event.id())).subject(event.event())
                .contentType("application/json").durable(true)
                .applicationProperties(new JsonObject().put("job_id", event.jobId()).put("queue", event.queue())
                        .put("event", event.event()))
                .withBody(event.toJson()).build();
        return sender().compose(s -> s.sendWithAck(message)).onFailure(failure -> drop());
    }

    private synchronized Future<AmqpSender> sender() {
        if (sender != null) {
            return Future.succeededFuture(sender);
        }
        if (client == null) {
            client = AmqpClient.create(vertx, options);
        }
        AmqpClient connecting = client;
        return connecting.connect().compose(connection -> {
            connection.exceptionHandler(failure -> drop());
            return connection.createSender(address);
        }).onSuccess(made -> {
            synchronized (this) {
                if (client == connecting) {
                    sender = made;
                    LOG.infof("event relay: linked to the broker %s:%d, address %s", options.getHost(),
                            options.getPort(), address);
                } else {
                    made.close();
                }
            }
        });
    }

    @Override
    public synchronized void drop() {
        AmqpClient old = client;
        client = null;
        sender = null;
        if (old != null) {
            old.close();
        }
    }
}
