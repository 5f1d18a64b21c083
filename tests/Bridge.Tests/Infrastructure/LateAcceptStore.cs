using System.Reflection;
using System.Runtime.ExceptionServices;
using Bridge.Forwarding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bridge.Tests.Infrastructure;

/// <summary>
/// Bridge's own store, except that accepting a forward waits until the test calls <see cref="Finish"/>: what Bridge
/// answers meanwhile shows whether it waited for the write.
/// </summary>
public sealed class LateAcceptStore
{
    private readonly ManualResetEventSlim _finish = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when Bridge starts accepting a forward.</summary>
    public Task Started => _started.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Finish() => _finish.Set();

    /// <summary>Wraps the registered store; the original stays registered under a key so the container still disposes it.</summary>
    public void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBridgeStore));
        services.AddKeyedSingleton<IBridgeStore>(this, (sp, _) => (IBridgeStore)original.ImplementationFactory!(sp));
        services.Replace(ServiceDescriptor.Singleton(sp => Proxy.Wrap(sp.GetRequiredKeyedService<IBridgeStore>(this), this)));
    }

    private void Accepting()
    {
        _started.TrySetResult();
        _finish.Wait();
    }

    /// <summary>Passes every call through, so it follows the store interface as it changes; only accepts wait.</summary>
    public class Proxy : DispatchProxy
    {
        private IBridgeStore _inner = null!;
        private LateAcceptStore _late = null!;

        public static IBridgeStore Wrap(IBridgeStore inner, LateAcceptStore late)
        {
            var store = Create<IBridgeStore, Proxy>();
            var proxy = (Proxy)(object)store;
            (proxy._inner, proxy._late) = (inner, late);
            return store;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name.StartsWith(nameof(IBridgeStore.Accept), StringComparison.Ordinal))
            {
                _late.Accepting();
            }

            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException exception)
            {
                ExceptionDispatchInfo.Throw(exception.InnerException!);
                throw;
            }
        }
    }
}
