package dev.pagecache.mvc;

import dev.pagecache.CachePage;
import dev.pagecache.testapp.HandlerCalls;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Handlers written as the sample's are, each counting its calls.
 */
@Controller
public class OwnerController extends HandlerCalls {

	@GetMapping("/welcome")
	@CachePage
	String welcome(Model model) {
		model.addAttribute("render", count("welcome"));
		return "mvc/welcome";
	}

	@GetMapping("/owners")
	@CachePage
	String findOwners(OwnerSearch owner, Model model) {
		model.addAttribute("render", count("owners"));
		return "mvc/owners";
	}

	@GetMapping("/agents")
	@CachePage
	String findAgents(AgentSearch search, Model model) {
		model.addAttribute("render", count("agents"));
		return "mvc/agents";
	}

	@GetMapping("/vets")
	@CachePage
	ModelAndView vets() {
		ModelAndView page = new ModelAndView("mvc/vets");
		page.addObject("render", count("vets"));
		return page;
	}

	@GetMapping("/owners/{id}")
	@CachePage
	String owner(@PathVariable long id, Model model) {
		model.addAttribute("id", id);
		model.addAttribute("render", count("owner"));
		return "mvc/owner";
	}

	@PostMapping("/owners/{id}")
	String saveOwner(@PathVariable long id, RedirectAttributes redirect) {
		redirect.addFlashAttribute("message", "Owner " + id + " saved");
		return "redirect:/owners/{id}";
	}

}
