package dev.pagecache.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import dev.pagecache.CachePage;
import dev.pagecache.PageTags;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Evaluates the SpEL {@link CachePage#tags() tags} of a {@code @CachePage} handler method
 * where its arguments exist, around the method, and adds them to the page being rendered.
 *
 * @author pagecache
 */
final class CachePageTagsInterceptor implements MethodInterceptor {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		PageRender render = PageRender.current();
		if (render != null && render.isConfirmed()) {
			Method method = invocation.getMethod();
			CachePage cachePage = findCachePage(method, invocation.getThis());
			if (cachePage != null) {
				render.addTags(evaluate(cachePage.tags(), method, invocation.getArguments()));
			}
		}
		return invocation.proceed();
	}

	private List<String> evaluate(String[] tagExpressions, Method method, Object[] arguments) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, method, arguments,
				this.parameterNames);
		List<String> tags = new ArrayList<>();
		for (String source : tagExpressions) {
			Object value = this.expressions.computeIfAbsent(source, parser::parseExpression).getValue(context);
			if (value instanceof Iterable<?> values) {
				values.forEach((each) -> add(tags, String.valueOf(each)));
			}
			else if (value != null) {
				add(tags, value.toString());
			}
		}
		return tags;
	}

	private static void add(List<String> tags, String tag) {
		tags.add(tag);
		String children = PageTags.childrenOfDeclared(tag);
		if (children != null) {
			tags.add(children);
		}
	}

	static @Nullable CachePage findCachePage(Method method, @Nullable Object target) {
		CachePage onMethod = AnnotatedElementUtils.findMergedAnnotation(method, CachePage.class);
		if (onMethod != null || target == null) {
			return onMethod;
		}
		return AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(target), CachePage.class);
	}

	/**
	 * The methods whose {@code @CachePage} declares tags.
	 *
	 * @author pagecache
	 */
	public static final class TaggedMethods extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			CachePage onMethod = AnnotatedElementUtils.findMergedAnnotation(method, CachePage.class);
			CachePage cachePage = (onMethod != null) ? onMethod
					: AnnotatedElementUtils.findMergedAnnotation(targetClass, CachePage.class);
			return cachePage != null && cachePage.tags().length > 0;
		}

	}

}
