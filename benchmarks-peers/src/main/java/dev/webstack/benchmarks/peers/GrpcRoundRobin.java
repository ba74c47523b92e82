package dev.webstack.benchmarks.peers;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * gRPC-java's {@code round_robin} policy (grpc-util's RoundRobinLoadBalancer, from the default registry) driven
 * through a stub {@link LoadBalancer.Helper}: it creates fake subchannels that report READY as soon as pick_first
 * asks them to connect, and keeps the last picker the policy publishes with {@code updateBalancingState(READY, …)}.
 * That picker, RoundRobinLoadBalancer.ReadyPicker over one pick_first picker per server, is what a channel calls
 * on every RPC; the benchmark calls its {@code pickSubchannel} the same way.
 */
final class GrpcRoundRobin {

  private GrpcRoundRobin() {}

  static PeerPicker create(int n) {
    StubHelper helper = new StubHelper();
    LoadBalancer lb = LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin").newLoadBalancer(helper);
    List<EquivalentAddressGroup> addresses = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      addresses.add(new EquivalentAddressGroup(
          InetSocketAddress.createUnresolved("10.0." + (i >> 8) + "." + (i & 255), 443)));
    }
    helper.syncContext.execute(() -> {
      Status status = lb.acceptResolvedAddresses(
          LoadBalancer.ResolvedAddresses.newBuilder().setAddresses(addresses).build());
      if (!status.isOk()) {
        throw new IllegalStateException("round_robin refused the addresses: " + status);
      }
      for (StubSubchannel s : new ArrayList<>(helper.subchannels)) {
        s.ready(); // in case a policy did not call requestConnection()
      }
    });
    if (helper.state != ConnectivityState.READY || helper.picker == null) {
      throw new IllegalStateException("round_robin did not become READY: " + helper.state);
    }
    // Check that the picker spreads over every server.
    LoadBalancer.SubchannelPicker picker = helper.picker;
    java.util.Set<Object> seen = new java.util.HashSet<>();
    for (int i = 0; i < 2 * n; i++) {
      LoadBalancer.PickResult r = picker.pickSubchannel(ARGS);
      if (r.getSubchannel() == null) {
        throw new IllegalStateException("round_robin picked no subchannel: " + r);
      }
      seen.add(r.getSubchannel());
    }
    if (seen.size() != n) {
      throw new IllegalStateException("round_robin reached " + seen.size() + " of " + n + " subchannels");
    }
    return i -> picker.pickSubchannel(ARGS);
  }

  /** Pick arguments of a plain unary call; round_robin and pick_first never read them. */
  static final LoadBalancer.PickSubchannelArgs ARGS = new LoadBalancer.PickSubchannelArgs() {
    private final Metadata headers = new Metadata();
    private final MethodDescriptor<Object, Object> method = MethodDescriptor.newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("dev.webstack.Svc/Get")
        .setRequestMarshaller(NoMarshaller.INSTANCE)
        .setResponseMarshaller(NoMarshaller.INSTANCE)
        .build();

    @Override public CallOptions getCallOptions() { return CallOptions.DEFAULT; }
    @Override public Metadata getHeaders() { return headers; }
    @Override public MethodDescriptor<?, ?> getMethodDescriptor() { return method; }
  };

  private enum NoMarshaller implements MethodDescriptor.Marshaller<Object> {
    INSTANCE;

    @Override public java.io.InputStream stream(Object value) { throw new UnsupportedOperationException(); }
    @Override public Object parse(java.io.InputStream stream) { throw new UnsupportedOperationException(); }
  }

  private static final class StubHelper extends LoadBalancer.Helper {
    final SynchronizationContext syncContext = new SynchronizationContext((t, e) -> {
      throw new IllegalStateException("gRPC stub helper: " + e, e);
    });
    final List<StubSubchannel> subchannels = new ArrayList<>();
    private ScheduledExecutorService timer;
    volatile ConnectivityState state;
    volatile LoadBalancer.SubchannelPicker picker;

    @Override
    public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
      StubSubchannel s = new StubSubchannel(this, args);
      subchannels.add(s);
      return s;
    }

    @Override
    public void updateBalancingState(ConnectivityState newState, LoadBalancer.SubchannelPicker newPicker) {
      state = newState;
      picker = newPicker;
    }

    @Override public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
      throw new UnsupportedOperationException();
    }

    @Override public String getAuthority() { return "svc.webstack.dev"; }
    @Override public SynchronizationContext getSynchronizationContext() { return syncContext; }
    @Override public ChannelLogger getChannelLogger() { return NoLogger.INSTANCE; }

    @Override
    public synchronized ScheduledExecutorService getScheduledExecutorService() {
      if (timer == null) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "grpc-stub-timer");
          t.setDaemon(true);
          return t;
        });
      }
      return timer;
    }

    @Override public void refreshNameResolution() {}
  }

  private static final class StubSubchannel extends LoadBalancer.Subchannel {
    private final StubHelper helper;
    private final LoadBalancer.CreateSubchannelArgs args;
    private LoadBalancer.SubchannelStateListener listener;
    private boolean ready;

    StubSubchannel(StubHelper helper, LoadBalancer.CreateSubchannelArgs args) {
      this.helper = helper;
      this.args = args;
    }

    @Override public void start(LoadBalancer.SubchannelStateListener listener) { this.listener = listener; }

    @Override
    public void requestConnection() {
      helper.syncContext.executeLater(this::ready);
    }

    void ready() {
      if (!ready && listener != null) {
        ready = true;
        listener.onSubchannelState(ConnectivityStateInfo.forNonError(ConnectivityState.CONNECTING));
        listener.onSubchannelState(ConnectivityStateInfo.forNonError(ConnectivityState.READY));
      }
    }

    @Override public void shutdown() {}
    @Override public List<EquivalentAddressGroup> getAllAddresses() { return args.getAddresses(); }
    @Override public Attributes getAttributes() { return args.getAttributes(); }
    @Override public ChannelLogger getChannelLogger() { return NoLogger.INSTANCE; }
    @Override public String toString() { return "stub" + args.getAddresses(); }
  }

  private static final class NoLogger extends ChannelLogger {
    static final NoLogger INSTANCE = new NoLogger();

    @Override public void log(ChannelLogLevel level, String message) {}
    @Override public void log(ChannelLogLevel level, String messageFormat, Object... args) {}
  }
}
