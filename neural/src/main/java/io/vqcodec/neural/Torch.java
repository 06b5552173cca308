package io.vqcodec.neural;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DJL's PyTorch engine, started once per JVM on a thread of its own: loading its native libraries
 * is most of what a one-picture run pays before the network can run (about 0.7 s of a 1 s minimum
 * measured in issue 15), so the networks ask for it with {@link #startInBackground} the moment they
 * know they will need it and read their weights meanwhile.
 *
 * <p>Started here, the engine also leaves NNPACK off. PyTorch tries NNPACK for every convolution
 * that does not go to oneDNN (single-threaded 1x1 convolutions and small ones) and, on CPUs NNPACK
 * does not support, prints "Could not initialize NNPACK! Reason: Unsupported hardware." each time,
 * whatever TORCH_CPP_LOG_LEVEL says (the engine never reads it). Turning it off is what {@code
 * torch.backends.nnpack.set_flags(False)} does in Python; DJL has no call for it, so it goes
 * through JNA to {@code at::Context::setUserEnabledNNPACK(bool)}. Where NNPACK did run, those
 * convolutions now take PyTorch's own path: the same function, rounded differently. If the symbol
 * is missing (another libtorch build), nothing changes but the warning.
 */
final class Torch {
  private static CompletableFuture<Void> started;

  private Torch() {}

  /** Starts the engine in the background unless it is started or starting. */
  static synchronized void startInBackground() {
    if (started == null || started.isCompletedExceptionally()) {
      started = CompletableFuture.runAsync(Torch::start, Torch::daemon);
    }
  }

  /**
   * A new base manager, once the engine has started.
   *
   * @throws IOException if the engine cannot start (its natives missing or broken)
   */
  static NDManager newManager() throws IOException {
    startInBackground();
    CompletableFuture<Void> f;
    synchronized (Torch.class) {
      f = started;
    }
    try {
      f.join();
    } catch (CompletionException e) {
      throw new IOException("the PyTorch engine did not start: " + e.getCause(), e.getCause());
    }
    return NDManager.newBaseManager();
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "vqcodec-engine-start");
    t.setDaemon(true);
    t.start();
  }

  private static void start() {
    Engine.getEngine("PyTorch");
    disableNnpack();
  }

  private static void disableNnpack() {
    try {
      File lib = new File(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
      NativeLibrary torch = NativeLibrary.getInstance(lib.getPath());
      Function globalContext = torch.getFunction("_ZN2at13globalContextEv");
      Function setEnabled = torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb");
      Pointer context = globalContext.invokePointer(new Object[0]);
      // A non-virtual member function: `this` is the first argument in the C calling convention
      setEnabled.invokeVoid(new Object[] {context, Boolean.FALSE});
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Only the warning stays: inference is unaffected.
    }
  }
}
