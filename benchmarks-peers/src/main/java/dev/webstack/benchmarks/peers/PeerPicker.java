package dev.webstack.benchmarks.peers;

/** One peer library's picker, set up over {@code n} servers, reduced to "choose one server for request i". */
interface PeerPicker {

  /**
   * Picks a server.
   *
   * @param i the request's number; pickers that hash use it to take a precomputed key ({@link
   *     Peers#KEYS}), the others ignore it
   * @return what the library returns (its server, instance, invoker, pick result or index)
   */
  Object pick(int i);
}
